import type { Queryable } from '../db/Database.ts';

export async function getSetting<T>(client: Queryable, key: string): Promise<T | undefined> {
  const { rows } = await client.query<{ value: T }>('SELECT value FROM instance_settings WHERE key = $1', [key]);
  return rows[0]?.value;
}

export async function setSetting(client: Queryable, key: string, value: unknown): Promise<void> {
  await client.query(
    `INSERT INTO instance_settings (key, value) VALUES ($1, $2)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [key, JSON.stringify(value)],
  );
}
