import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CredentialEvents } from '../../../server/auth/CredentialEvents.ts';
import { SessionService } from '../../../server/auth/SessionService.ts';
import type { Database } from '../../../server/db/Database.ts';
import { ensureBootstrapAdmin, formatGeneratedCredentials } from '../../../server/users/bootstrapAdmin.ts';
import { UserService } from '../../../server/users/UserService.ts';
import { openTestDatabase } from '../../support/testDatabase.ts';
import { systemActor } from '../../../server/access/systemActor.ts';

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

  it('a new ADMIN_API_KEY replaces the previous bootstrap key: the generated one and the ADMIN_API_KEY before it stop working', async () => {
    const { rows } = await db.query<{ name: string; revoked: boolean }>(
      `SELECT k.name, k.revoked_at IS NOT NULL AS revoked FROM api_keys k JOIN users u ON u.id = k.user_id WHERE u.email = 'admin@tapeout.local' ORDER BY k.created_at`,
    );
    assert.deepEqual(
      rows,
      [
        { name: 'bootstrap', revoked: true },
        { name: 'ADMIN_API_KEY', revoked: false },
      ],
      'the generated key went when ADMIN_API_KEY was set',
    );
    const rotated = 'tap_rotated_again_from_environment_0002';
    await ensureBootstrapAdmin(db, users, { ...none, apiKey: rotated });
    assert.equal((await users.principalForApiKey(rotated))?.email, 'admin@tapeout.local');
    assert.equal(await users.principalForApiKey('tap_rotated_key_from_environment_0001'), undefined);
    // Keys the admin made by hand are not bootstrap keys.
    const own = 'tap_made_in_the_console_by_the_admin_03';
    await users.addApiKey(systemActor, (await users.findByEmail('admin@tapeout.local'))!.id, own, 'laptop');
    await ensureBootstrapAdmin(db, users, { ...none, apiKey: rotated });
    assert.ok(await users.principalForApiKey(own));
  });

  it('keeps a configured key that was revoked in Tapeout revoked, and says so', async () => {
    const rotated = 'tap_rotated_again_from_environment_0002';
    await db.query(`UPDATE api_keys SET revoked_at = now() WHERE name = 'ADMIN_API_KEY'`);
    const outcome = await ensureBootstrapAdmin(db, users, { ...none, apiKey: rotated });
    assert.equal(await users.principalForApiKey(rotated), undefined);
    assert.match(outcome.warnings?.join() ?? '', /ADMIN_API_KEY was revoked/);
  });

  it('a new ADMIN_PASSWORD ends the sessions signed in with the old one; the same password keeps them', async () => {
    const sessions = new SessionService(db, 24, new CredentialEvents());
    const admin = (await users.findByEmail('admin@tapeout.local'))!;
    await ensureBootstrapAdmin(db, users, { ...none, password: 'first password of twelve' });
    const session = await sessions.create(admin.id);
    await ensureBootstrapAdmin(db, users, { ...none, password: 'first password of twelve' });
    assert.ok(await sessions.resolve(session.token), 'a restart with the same password keeps sessions');
    await ensureBootstrapAdmin(db, users, { ...none, password: 'second password of twelve' });
    assert.equal(await sessions.resolve(session.token), undefined);
    assert.ok(await users.verifyCredentials('admin@tapeout.local', 'second password of twelve'));
  });

  it('creates the configured admin by email, with the configured password', async () => {
    const outcome = await ensureBootstrapAdmin(db, users, {
      email: 'ops@example.com',
      password: 'correct horse battery',
      apiKey: undefined,
    });
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
