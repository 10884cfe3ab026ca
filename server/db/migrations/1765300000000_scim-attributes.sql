-- Up Migration

-- What SCIM provisions is stored as sent, so a PATCH that changes an attribute changes what a GET
-- returns: the userName (which may be something other than an email), the name's parts (the
-- console shows them), and the rest of the User as canonical SCIM JSON (emails, phone numbers,
-- the enterprise extension, …).
ALTER TABLE users
  ADD COLUMN user_name text,
  ADD COLUMN given_name text,
  ADD COLUMN family_name text,
  ADD COLUMN scim_profile jsonb;
-- A userName is unique (RFC 7643 §4.1.1), case-insensitively, among userNames and emails alike:
-- a user without one is found by their email.
CREATE UNIQUE INDEX users_user_name_key ON users (lower(coalesce(user_name, email)));

-- A group's meta.lastModified moves when it is renamed and when its members change.
ALTER TABLE groups ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
UPDATE groups SET updated_at = created_at;

-- One statement that adds or removes many members touches each group and user once.
CREATE FUNCTION touch_membership_sides() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE groups SET updated_at = now() WHERE id IN (SELECT group_id FROM changed_memberships);
  UPDATE users SET updated_at = now() WHERE id IN (SELECT user_id FROM changed_memberships);
  RETURN NULL;
END $$;
CREATE TRIGGER memberships_added_touch AFTER INSERT ON memberships
  REFERENCING NEW TABLE AS changed_memberships FOR EACH STATEMENT EXECUTE FUNCTION touch_membership_sides();
CREATE TRIGGER memberships_removed_touch AFTER DELETE ON memberships
  REFERENCING OLD TABLE AS changed_memberships FOR EACH STATEMENT EXECUTE FUNCTION touch_membership_sides();

-- Down Migration
DROP TRIGGER IF EXISTS memberships_removed_touch ON memberships;
DROP TRIGGER IF EXISTS memberships_added_touch ON memberships;
DROP FUNCTION IF EXISTS touch_membership_sides();
ALTER TABLE groups DROP COLUMN IF EXISTS updated_at;
DROP INDEX IF EXISTS users_user_name_key;
ALTER TABLE users DROP COLUMN IF EXISTS scim_profile, DROP COLUMN IF EXISTS family_name,
  DROP COLUMN IF EXISTS given_name, DROP COLUMN IF EXISTS user_name;
