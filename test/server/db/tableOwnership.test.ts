import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serverSources } from '../../support/sourceFiles.ts';

/** The one module holding each table's SQL: every write, and the reads of the table by itself. */
const owners: Record<string, string> = {
  api_keys: 'server/users/apiKeyRepository.ts',
  assistants: 'server/assistants/AssistantService.ts',
  assistant_collections: 'server/assistants/AssistantService.ts',
  audit_events: 'server/audit/AuditLog.ts',
  chunks: 'server/corpus/chunkRepository.ts',
  chunk_sentence_vectors: 'ingestion/tasks/EmbedSentenceVectorsTask.ts',
  collections: 'server/corpus/collectionRepository.ts',
  collection_grants: 'server/corpus/collectionRepository.ts',
  conversations: 'server/conversations/ConversationService.ts',
  documents: 'server/corpus/documentRepository.ts',
  document_readers: 'server/corpus/documentReaders.ts',
  feedback: 'server/conversations/ConversationService.ts',
  groups: 'server/users/groupRepository.ts',
  ingestion_jobs: 'server/corpus/ingestionJobs.ts',
  instance_settings: 'server/settings/InstanceSettings.ts',
  memberships: 'server/users/groupRepository.ts',
  messages: 'server/conversations/ConversationService.ts',
  oauth_authorizations: 'server/auth/oauthGrantRepository.ts',
  oauth_clients: 'server/auth/oauthClientRepository.ts',
  oauth_grants: 'server/auth/oauthGrantRepository.ts',
  oauth_tokens: 'server/auth/oauthGrantRepository.ts',
  oidc_sign_in_attempts: 'server/identity/OidcSignInService.ts',
  scheduler_leases: 'server/scheduling/SchedulerLeases.ts',
  sessions: 'server/auth/sessionRepository.ts',
  slack_channel_bindings: 'server/slack/SlackChannelBindings.ts',
  slack_event_receipts: 'server/slack/SlackEventReceipts.ts',
  sources: 'server/sources/sourceRepository.ts',
  source_runs: 'server/sources/sourceRepository.ts',
  source_items: 'server/sources/sourceRepository.ts',
  users: 'server/users/userRepository.ts',
};

/**
 * Read models: queries that join a table for another purpose than managing it (searching the
 * index, showing a citation's source, counting a collection's documents, a key's owner, SCIM's
 * filtered lists, the access check's admin test). They read other modules' tables and write none.
 */
const readModels: Record<string, string[]> = {
  'server/retrieval/ChunkReader.ts': ['chunks', 'chunk_sentence_vectors', 'documents'],
  'server/retrieval/ReadScopes.ts': ['chunks', 'collections', 'documents'],
  'server/retrieval/HybridRetriever.ts': ['documents'],
  'server/documents/SourceService.ts': ['chunks', 'documents', 'collections'],
  'server/auth/oauthClientRepository.ts': ['oauth_grants'],
  'server/auth/oauthGrantRepository.ts': ['oauth_clients', 'users'],
  'server/documents/DocumentTexts.ts': ['chunks', 'documents', 'collections'],
  'server/assistants/AssistantService.ts': ['collections'],
  'server/users/groupRepository.ts': ['collections', 'collection_grants', 'users'],
  'server/users/userRepository.ts': ['groups', 'memberships'],
  'server/users/apiKeyRepository.ts': ['users'],
  'server/auth/sessionRepository.ts': ['users'],
  'server/access/collectionScopes.ts': ['users'],
  'server/identity/scim/scimReadModel.ts': ['users', 'groups', 'memberships'],
  'server/usage/UsageService.ts': ['conversations', 'messages', 'feedback', 'assistants'],
  'server/slack/SlackChannelBindings.ts': ['assistants', 'groups'],
  'server/conversations/ConversationService.ts': ['assistants'],
  'ingestion/tasks/chunksLackingSentenceVectors.ts': ['chunk_sentence_vectors', 'documents', 'collections'],
  'server/corpus/ingestionJobs.ts': ['collections', 'documents'],
  'server/corpus/chunkRepository.ts': ['collections'],
  'server/corpus/collectionRepository.ts': ['documents', 'chunks', 'groups'],
  'server/corpus/documentReaders.ts': ['groups'],
  'server/corpus/documentRepository.ts': ['chunks'],
  'server/sources/sourceRepository.ts': ['collections'],
};

/** SQL a file's code holds, without its comments (which may mention a table in words). */
const codeOf = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
const writes = (table: string) => new RegExp(`\\b(insert\\s+into|update|delete\\s+from)\\s+${table}\\b`, 'i');
const reads = (table: string) => new RegExp(`\\b(from|join)\\s+${table}\\b`, 'i');

describe('each table has one repository module', () => {
  it('writes every owned table only from its owner', async () => {
    const offenders = (await serverSources()).flatMap(({ file, text }) =>
      Object.entries(owners)
        .filter(([table, owner]) => file !== owner && writes(table).test(codeOf(text)))
        .map(([table]) => `${file} writes ${table}`),
    );
    assert.deepEqual(offenders, []);
  });

  it('reads an owned table only in its owner or in a declared read model', async () => {
    const offenders = (await serverSources()).flatMap(({ file, text }) =>
      Object.entries(owners)
        .filter(([table, owner]) => file !== owner && !readModels[file]?.includes(table) && reads(table).test(codeOf(text)))
        .map(([table]) => `${file} reads ${table}`),
    );
    assert.deepEqual(offenders, []);
  });

  it('names real files, owned tables and reads that happen, so the two lists above cannot go stale unnoticed', async () => {
    const code = new Map((await serverSources()).map(({ file, text }) => [file, codeOf(text)]));
    for (const file of [...Object.values(owners), ...Object.keys(readModels)]) assert.ok(code.has(file), `${file} does not exist`);
    for (const [file, tables] of Object.entries(readModels)) {
      for (const table of tables) {
        assert.ok(owners[table], `${table} has no owner`);
        assert.ok(reads(table).test(code.get(file) ?? ''), `${file} no longer reads ${table}: take it off its read model list`);
      }
    }
  });
});
