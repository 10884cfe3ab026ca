import type { Database } from '../db/Database.ts';
import { generateApiKey } from '../auth/apiKeys.ts';
import { generatePassword } from '../auth/passwords.ts';
import type { Config } from '../config/index.ts';
import type { UserService } from './UserService.ts';
import { updateUser } from './userRepository.ts';
import { systemActor } from '../access/systemActor.ts';

export const defaultAdminEmail = 'admin@tapeout.local';

export interface BootstrapOutcome {
  email: string;
  created: boolean;
  /** Credentials Tapeout made up because none were configured; shown once, stored only hashed. */
  generated: { password?: string; apiKey?: string };
  /** Problems with the configured values, for the start-up log. */
  warnings?: string[];
}

/**
 * Makes sure the bootstrap admin exists. Configured ADMIN_* values are applied on every start
 * and replace what was there: a new ADMIN_API_KEY revokes the previous bootstrap key (the one
 * generated at first start, or the ADMIN_API_KEY before it), and a new ADMIN_PASSWORD ends the
 * sessions signed in with the old one. Missing values are generated only when the admin is first
 * created.
 */
export async function ensureBootstrapAdmin(db: Database, users: UserService, admin: Config['admin']): Promise<BootstrapOutcome> {
  const email = admin.email ?? defaultAdminEmail;
  return db.transaction(async (client) => {
    // Serialises start-up of several server instances sharing one database.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['tapeout:bootstrap-admin']);
    const existing = await users.findByEmail(email, client);
    if (!existing && !admin.email && (await users.countAdmins(client)) > 0) {
      return { email, created: false, generated: {} };
    }
    const generated: BootstrapOutcome['generated'] = {};
    let user = existing;
    if (!user) {
      const password = admin.password ?? (generated.password = generatePassword());
      user = await users.create(systemActor, { email, name: 'Administrator', role: 'admin', password }, client);
      const apiKey = admin.apiKey ?? (generated.apiKey = generateApiKey());
      await users.addApiKey(systemActor, user.id, apiKey, admin.apiKey ? 'ADMIN_API_KEY' : 'bootstrap', client);
      return { email, created: true, generated };
    }
    if (user.role !== 'admin') await updateUser(client, user.id, { role: 'admin' });
    if (admin.password && !(await users.hasPassword(user.id, admin.password, client))) {
      await users.setPassword(systemActor, user.id, admin.password, client);
      await users.endSessions(systemActor, user.id, client);
    }
    if (admin.apiKey && !(await users.replaceBootstrapKey(systemActor, user.id, admin.apiKey, client))) {
      return {
        email,
        created: false,
        generated,
        warnings: ['ADMIN_API_KEY was revoked in Tapeout and stays revoked: set a new one and restart.'],
      };
    }
    return { email, created: false, generated };
  });
}

export function formatGeneratedCredentials(outcome: BootstrapOutcome): string | undefined {
  const { password, apiKey } = outcome.generated;
  if (!password && !apiKey) return undefined;
  const lines = [
    'Tapeout created the bootstrap admin. These credentials are shown only this once:',
    `  email:    ${outcome.email}`,
    ...(password ? [`  password: ${password}`] : []),
    ...(apiKey ? [`  API key:  ${apiKey}`] : []),
    'Set ADMIN_PASSWORD / ADMIN_API_KEY and restart to replace them.',
  ];
  const width = Math.max(...lines.map((line) => line.length));
  const rule = '-'.repeat(width + 4);
  return [rule, ...lines.map((line) => `| ${line.padEnd(width)} |`), rule].join('\n');
}
