-- Up Migration
-- A document's own readers, as the place it comes from decides them (a Confluence page's
-- restrictions, a SharePoint file's permissions, a Jira issue's security level). A person reads
-- a document only if its collection is granted to them and, where it has readers, they are
-- among them: the collection's grants can only be narrowed here, never widened.
CREATE TABLE document_readers (
  document_id uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  -- 'everyone': everyone in the source (whoever reads the collection); 'user': by email;
  -- 'group': by the source's group id or name, matched to Tapeout's groups (the IdP's).
  kind text NOT NULL CHECK (kind IN ('everyone', 'user', 'group')),
  -- A user's email in lower case; a group's id at the source, else its name in lower case; '' for everyone.
  key text NOT NULL,
  -- How the source names it (a group's display name), for the console and for matching by name.
  name text NOT NULL DEFAULT '',
  PRIMARY KEY (document_id, kind, key)
);

-- Whether the document's readers narrow its collection's grants (it has readers and none of
-- them is 'everyone'); kept by the repository that writes the readers, in the same statement.
ALTER TABLE documents ADD COLUMN restricted boolean NOT NULL DEFAULT false;
CREATE INDEX documents_restricted_idx ON documents (collection_id) WHERE restricted;

-- Whether the user is among a restricted document's readers: by email, or as a member of a
-- group the source names (by the IdP's id, or by name; Tapeout's built-in groups never match a
-- source's group, whatever its name). A user id of NULL (an unmapped Slack user) is among none.
CREATE FUNCTION user_among_readers(p_user_id uuid, p_document_id uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM document_readers r
     WHERE r.document_id = p_document_id
       AND ((r.kind = 'user' AND r.key = (SELECT lower(u.email) FROM users u WHERE u.id = p_user_id AND u.active))
         OR (r.kind = 'group' AND EXISTS (
              SELECT 1 FROM memberships m JOIN groups g ON g.id = m.group_id
               WHERE m.user_id = p_user_id AND NOT g.is_builtin
                 AND (g.external_id = r.key OR lower(g.name) = r.key OR (r.name <> '' AND lower(g.name) = lower(r.name)))))))
$$;

-- Whether everyone who reads a Slack channel's answers (the channel's audience group) is among
-- the document's readers: the group itself is one, or it has members and every one of them is.
CREATE FUNCTION audience_among_readers(p_group_id uuid, p_document_id uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
           SELECT 1 FROM document_readers r JOIN groups g ON g.id = p_group_id AND NOT g.is_builtin
            WHERE r.document_id = p_document_id AND r.kind = 'group'
              AND (g.external_id = r.key OR lower(g.name) = r.key OR (r.name <> '' AND lower(g.name) = lower(r.name))))
      OR (EXISTS (SELECT 1 FROM memberships m WHERE m.group_id = p_group_id)
          AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.group_id = p_group_id AND NOT user_among_readers(m.user_id, p_document_id)))
$$;

-- The restricted documents of these collections that a principal may not read: the user's, or,
-- for an answer posted where a group reads it, the audience's. Retrieval leaves them out.
CREATE FUNCTION withheld_document_ids(p_user_id uuid, p_audience_group_id uuid, p_collection_ids uuid[]) RETURNS SETOF uuid LANGUAGE sql STABLE AS $$
  SELECT d.id FROM documents d
   WHERE d.restricted AND d.collection_id = ANY(p_collection_ids)
     AND NOT CASE WHEN p_audience_group_id IS NULL THEN user_among_readers(p_user_id, d.id)
                  ELSE audience_among_readers(p_audience_group_id, d.id) END
$$;

-- Whether the user may read this document: its collection is visible to them and, where the
-- document is restricted, they are among its readers (the source viewer, downloads).
CREATE FUNCTION user_reads_document(p_user_id uuid, p_document_id uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM documents d
     WHERE d.id = p_document_id AND d.collection_id IN (SELECT visible_collection_ids(p_user_id))
       AND (NOT d.restricted OR user_among_readers(p_user_id, d.id)))
$$;

-- Permission-only syncs: a run that reads who may read each item and changes nothing else.
ALTER TABLE source_runs
  ADD COLUMN mode text NOT NULL DEFAULT 'content' CHECK (mode IN ('content', 'permissions')),
  ADD COLUMN readers_changed integer NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN next_permission_sync_at timestamptz;
ALTER TABLE sources DROP CONSTRAINT sources_kind_check;
ALTER TABLE sources ADD CONSTRAINT sources_kind_check CHECK (kind IN ('git', 'web', 'confluence', 'jira', 'sharepoint'));

-- Down Migration
ALTER TABLE sources DROP CONSTRAINT sources_kind_check;
ALTER TABLE sources ADD CONSTRAINT sources_kind_check CHECK (kind IN ('git', 'web'));
ALTER TABLE sources DROP COLUMN next_permission_sync_at;
ALTER TABLE source_runs DROP COLUMN mode, DROP COLUMN readers_changed;
DROP FUNCTION user_reads_document(uuid, uuid);
DROP FUNCTION withheld_document_ids(uuid, uuid, uuid[]);
DROP FUNCTION audience_among_readers(uuid, uuid);
DROP FUNCTION user_among_readers(uuid, uuid);
DROP INDEX documents_restricted_idx;
ALTER TABLE documents DROP COLUMN restricted;
DROP TABLE document_readers;
