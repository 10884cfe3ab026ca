import type { Queryable } from '../db/Database.ts';

export interface StoredClient {
  clientId: string;
  clientName: string | null;
  redirectUris: string[];
  metadata: Record<string, unknown>;
  createdAt: string;
}

/** The SQL of oauth_clients: MCP clients registered dynamically (RFC 7591). */
export async function insertClient(db: Queryable, client: Omit<StoredClient, 'createdAt'>): Promise<void> {
  await db.query(`INSERT INTO oauth_clients (client_id, client_name, redirect_uris, metadata) VALUES ($1, $2, $3, $4)`, [
    client.clientId,
    client.clientName,
    client.redirectUris,
    client.metadata,
  ]);
}

export async function findClient(db: Queryable, clientId: string): Promise<StoredClient | undefined> {
  const { rows } = await db.query<StoredClient>(
    `SELECT client_id AS "clientId", client_name AS "clientName", redirect_uris AS "redirectUris", metadata, created_at AS "createdAt"
       FROM oauth_clients WHERE client_id = $1`,
    [clientId],
  );
  return rows[0];
}

export async function countClients(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM oauth_clients');
  return rows[0]!.count;
}

/** Registrations nobody ever signed in with, older than `days`: anyone may register, so they are swept. */
export async function deleteUnusedClients(db: Queryable, days: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM oauth_clients c WHERE c.created_at < now() - make_interval(days => $1)
        AND NOT EXISTS (SELECT 1 FROM oauth_grants g WHERE g.client_id = c.client_id)`,
    [days],
  );
  return rowCount ?? 0;
}
