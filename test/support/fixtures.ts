import { CredentialEvents } from '../../server/auth/CredentialEvents.ts';
import type { Principal } from '../../server/auth/Principal.ts';
import type { Database } from '../../server/db/Database.ts';
import { insertChunks } from '../../server/corpus/chunkRepository.ts';
import { UserService, type User } from '../../server/users/UserService.ts';
import { systemActor } from '../../server/access/systemActor.ts';

export function principalOf(user: User): Principal {
  return { userId: user.id, email: user.email, role: user.role };
}

export async function createUser(db: Database, email: string, role: User['role'] = 'member'): Promise<User> {
  return new UserService(db, new CredentialEvents()).create(systemActor, { email, role });
}

export async function createGroup(db: Database, name: string, members: User[]): Promise<string> {
  const { rows } = await db.query<{ id: string }>(`INSERT INTO groups (name) VALUES ($1) RETURNING id`, [name]);
  for (const member of members) {
    await db.query(`INSERT INTO memberships (group_id, user_id) VALUES ($1, $2)`, [rows[0]!.id, member.id]);
  }
  return rows[0]!.id;
}

/** Inserts a ready document with one chunk per text, embedded with the given vectors. */
export async function insertDocument(
  db: Database,
  collectionId: string,
  options: { title: string; texts: string[]; embeddings: number[][]; model: string; version?: number; chunkVersion?: number },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO documents (collection_id, title, filename, content_hash, status, version)
     VALUES ($1, $2, $2, md5($2), 'ready', $3) RETURNING id`,
    [collectionId, options.title, options.version ?? 1],
  );
  const documentId = rows[0]!.id;
  // Through the ingestion's own writer, so the search vector and identifiers are as a real upload's.
  const chunks = options.texts.map((text) => ({ text, headingPath: [], page: null, tokenCount: 10 }));
  const target = { documentId, collectionId, targetVersion: options.chunkVersion ?? options.version ?? 1 };
  await db.transaction((client) => insertChunks(client, target, chunks, { model: options.model, embeddings: options.embeddings }));
  return documentId;
}
