import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CredentialEvents } from '../../../server/auth/CredentialEvents.ts';
import type { Database } from '../../../server/db/Database.ts';
import { ensureBootstrapAdmin, formatGeneratedCredentials } from '../../../server/users/bootstrapAdmin.ts';
import { UserService } from '../../../server/users/UserService.ts';
import { openTestDatabase } from '../../support/testDatabase.ts';

const none = { email: undefined, password: undefined, apiKey: undefined };

describe('ensureBootstrapAdmin', () => {
  let db: Database;
  let users: UserService;
  before(async () => {
    db = await openTestDatabase();
    users = new UserService(db, new CredentialEvents());
  });
  after(() => db?.close());

  it('generates credentials once when none are configured, and they work', async () => {
    const first = await ensureBootstrapAdmin(db, users, none);
    assert.equal(first.created, true);
    assert.equal(first.email, 'admin@tapeout.local');
    assert.ok(first.generated.password && first.generated.apiKey);
    assert.match(formatGeneratedCredentials(first)!, new RegExp(first.generated.apiKey!));

    const principal = await users.principalForApiKey(first.generated.apiKey!);
    assert.equal(principal?.role, 'admin');

    const second = await ensureBootstrapAdmin(db, users, none);
    assert.equal(second.created, false);
    assert.deepEqual(second.generated, {});
    assert.equal(formatGeneratedCredentials(second), undefined);
  });

  it('stores only hashes of passwords and API keys', async () => {
    const { rows } = await db.query<{ password_hash: string; key_hash: string }>(
      `SELECT u.password_hash, k.key_hash FROM users u JOIN api_keys k ON k.user_id = u.id`,
    );
    assert.match(rows[0]!.password_hash, /^scrypt\$/);
    assert.match(rows[0]!.key_hash, /^[0-9a-f]{64}$/);
  });

  it('applies a configured API key on restart without generating anything', async () => {
    const apiKey = 'tap_rotated_key_from_environment_0001';
    const outcome = await ensureBootstrapAdmin(db, users, { ...none, apiKey });
    assert.deepEqual(outcome.generated, {});
    assert.equal((await users.principalForApiKey(apiKey))?.email, 'admin@tapeout.local');
  });

  it('creates the configured admin by email, with the configured password', async () => {
    const outcome = await ensureBootstrapAdmin(db, users, { email: 'ops@example.com', password: 'correct horse battery', apiKey: undefined });
    assert.equal(outcome.created, true);
    assert.equal(outcome.generated.password, undefined);
    assert.ok(outcome.generated.apiKey, 'a key is generated because none was configured');
    assert.equal((await users.findByEmail('OPS@example.com'))?.role, 'admin');
  });

  it('rejects unknown and revoked keys', async () => {
    assert.equal(await users.principalForApiKey('tap_not_a_real_key'), undefined);
    await db.query(`UPDATE api_keys SET revoked_at = now()`);
    assert.equal(await users.principalForApiKey('tap_rotated_key_from_environment_0001'), undefined);
  });
});
