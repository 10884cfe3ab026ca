import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serverSources as sources } from '../../support/sourceFiles.ts';

/**
 * Who may do what is decided in server/access/ only. These searches keep it so: a new check
 * written elsewhere fails here, naming its file, until it calls the access module instead.
 */
describe('authorization decided in one place (server/access/)', () => {
  it('names the SQL grant functions only in server/access/ and the migrations that define them', async () => {
    const offenders = (await sources())
      .filter(({ file }) => !file.startsWith('server/access/') && !file.startsWith('server/db/migrations/'))
      .filter(({ text }) => /\b(visible|editable|readable)_collection_ids\s*\(\s*\$/.test(text))
      .map(({ file }) => file);
    assert.deepEqual(offenders, []);
  });

  it("decides on a principal's role only in server/access/", async () => {
    const offenders = (await sources())
      .filter(({ file }) => !file.startsWith('server/access/'))
      .filter(({ text }) => /\bprincipal\??\.role\s*[!=]==|(const|function)\s+isAdmin\b/.test(text))
      .map(({ file }) => file);
    assert.deepEqual(offenders, []);
  });

  it('refuses with 403 only through server/access/, besides authentication (the CSRF header, a turned-off sign-in method)', async () => {
    const allowed = new Set(['server/http/authenticate.ts', 'server/auth/SignInService.ts', 'server/errors.ts']);
    const offenders = (await sources())
      .filter(({ file }) => !file.startsWith('server/access/') && !allowed.has(file))
      .filter(({ text }) => /new ForbiddenError\(/.test(text))
      .map(({ file }) => file);
    assert.deepEqual(offenders, []);
  });
});
