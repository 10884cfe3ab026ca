import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildUser } from '../../support/factories.ts';
import { startGitHttpServer, type GitHttpServer } from '../../support/gitHttpServer.ts';
import { TestGitRepository } from '../../support/testGitRepository.ts';
import { createOpenCollection, startTestRuntime, waitFor, type TestRuntime } from '../../support/testRuntime.ts';

const token = 'glpat-source-token-0123456789';

describe('/api/sources', () => {
  let runtime: TestRuntime;
  let gitServer: GitHttpServer;
  let root: string;
  let memberKey: string;

  const call = async (method: string, route: string, body?: unknown, key = runtime.apiKey) => {
    const response = await fetch(`${runtime.url}/api${route}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, text, json: text ? JSON.parse(text) : undefined };
  };
  const finishedRun = (id: string) =>
    waitFor(async () => {
      const { json } = await call('GET', `/sources/${id}`);
      return json.lastRun && ['succeeded', 'failed'].includes(json.lastRun.status) ? json : undefined;
    }, `a finished run of ${id}`);

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'tapeout-git-http-'));
    const repo = await TestGitRepository.init(path.join(root, 'flow.git.src'));
    await repo.write('README.md', '# Flow\n\nThe signoff flow runs PrimeTime at the ss_0p72v_125c corner.\n');
    await repo.write('scripts/signoff.tcl', 'proc signoff {} {\n  report_qor\n}\n');
    repo.commit('flow');
    repo.git('clone', '-q', '--bare', repo.dir, path.join(root, 'flow.git'));
    gitServer = await startGitHttpServer({ projectRoot: root, token, redirects: { '/moved.git': 'http://169.254.169.254/flow.git' } });
    runtime = await startTestRuntime({
      SEED_DEMO: 'false',
      CONNECTOR_ALLOWED_HOSTS: '127.0.0.1',
      SOURCE_CREDENTIALS_KEY: randomBytes(32).toString('base64'),
    });
    await createOpenCollection(runtime, 'flow');
    memberKey = (await buildUser(runtime.services, { email: 'reader@example.com' })).apiKey;
  });
  after(async () => {
    await runtime?.dispose();
    await gitServer?.close();
    await rm(root, { recursive: true, force: true });
  });

  let sourceId: string;

  it('adds a Git source over HTTP with a token, syncs it at once, and never shows the token', async () => {
    const created = await call('POST', '/sources', {
      kind: 'git',
      collection: 'flow',
      name: 'flow-repo',
      url: `${gitServer.url}/flow.git`,
      branch: 'main',
      include: ['**/*.md', 'scripts/**'],
      credentials: { token },
    });
    assert.equal(created.status, 201, created.text);
    assert.doesNotMatch(created.text, new RegExp(token));
    assert.equal(created.json.source.hasCredentials, true);
    assert.equal(created.json.source.schedule, '0 * * * *', 'hourly unless told otherwise');
    assert.equal(created.json.run.trigger, 'created');
    sourceId = created.json.source.id;
    const synced = await finishedRun(sourceId);
    assert.equal(synced.lastRun.status, 'succeeded', JSON.stringify(synced.lastRun.error));
    assert.deepEqual(synced.lastRun.counts, { added: 2, changed: 0, deleted: 0, skipped: 0, failed: 0, readersChanged: 0 });
    assert.equal(synced.items, 2);
    const listed = await call('GET', '/sources');
    assert.deepEqual(
      listed.json.sources.map((s: { name: string }) => s.name),
      ['flow-repo'],
    );
    assert.doesNotMatch(listed.text, new RegExp(token));
  });

  it('shows a passage of a synced code file with the lines it spans (GET /api/passages/:id)', async () => {
    const chunkId = await waitFor(async () => {
      const { rows } = await runtime.services.db.query<{ id: string }>(
        `SELECT c.id::text FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.filename = 'scripts/signoff.tcl' AND d.status = 'ready'`,
      );
      return rows[0]?.id;
    }, 'the Tcl script to be indexed');
    const { status, json } = await call('GET', `/passages/${chunkId}`, undefined, memberKey);
    assert.equal(status, 200);
    assert.deepEqual(json.passage.headingPath, ['scripts/signoff.tcl', 'proc signoff']);
    assert.deepEqual(json.passage.lines, { start: 1, end: 3 });
  });

  it('answers a second sync request while one is queued with that run (202), and refuses one while paused (409)', async () => {
    const [first, second] = await Promise.all([call('POST', `/sources/${sourceId}/sync`), call('POST', `/sources/${sourceId}/sync`)]);
    assert.deepEqual([first.status, second.status], [202, 202]);
    assert.equal(first.json.run.id, second.json.run.id);
    await finishedRun(sourceId);
    assert.equal((await call('PATCH', `/sources/${sourceId}`, { paused: true })).json.paused, true);
    const refused = await call('POST', `/sources/${sourceId}/sync`);
    assert.equal(refused.status, 409);
    assert.equal(refused.json.error.code, 'conflict');
    await call('PATCH', `/sources/${sourceId}`, { paused: false });
  });

  it('fails the run with a clear error when the token is wrong', async () => {
    const created = await call('POST', '/sources', {
      kind: 'git',
      collection: 'flow',
      name: 'wrong-token',
      url: `${gitServer.url}/flow.git`,
      credentials: { token: 'not-the-token' },
    });
    const run = (await finishedRun(created.json.source.id)).lastRun;
    assert.equal(run.status, 'failed');
    assert.equal(run.error.code, 'authentication_failed');
    assert.doesNotMatch(JSON.stringify(run), /not-the-token/);
  });

  it('keeps sealed credentials to where they were given: a new URL or token endpoint needs them again', async () => {
    const [source] = (await call('GET', '/sources')).json.sources.filter((s: { name: string }) => s.name === 'wrong-token');
    const moved = await call('PATCH', `/sources/${source.id}`, { url: `${gitServer.url}/other.git` });
    assert.equal(moved.status, 400);
    assert.match(moved.json.error.message, /give them again/);
    assert.equal((await call('GET', `/sources/${source.id}`)).json.url, `${gitServer.url}/flow.git`, 'nothing changed');
    const given = await call('PATCH', `/sources/${source.id}`, {
      url: `${gitServer.url}/other.git`,
      credentials: { token: 'another-token' },
    });
    assert.equal(given.status, 200, given.text);
  });

  it('does not follow a redirect (here to the cloud metadata address)', async () => {
    const created = await call('POST', '/sources', { kind: 'git', collection: 'flow', name: 'moved', url: `${gitServer.url}/moved.git` });
    const run = (await finishedRun(created.json.source.id)).lastRun;
    assert.equal(run.status, 'failed');
    assert.match(run.error.message, /redirect|Fetching/);
  });

  it('refuses bad input with a precise 4xx and stores nothing', async () => {
    const cases: [unknown, number, RegExp][] = [
      [{ kind: 'svn', collection: 'flow', name: 'x', url: 'https://example.com/r' }, 400, /kind/],
      [{ kind: 'git', collection: 'nope', name: 'x', url: 'https://example.com/r.git' }, 404, /Collection "nope"/],
      [{ kind: 'git', collection: 'flow', name: 'x', url: 'ftp://example.com/r.git' }, 400, /https/],
      [{ kind: 'git', collection: 'flow', name: 'x', url: 'https://user:secret@example.com/r.git' }, 400, /credentials, not in the URL/],
      [{ kind: 'git', collection: 'flow', name: 'x', url: 'https://10.1.2.3/r.git' }, 400, /private or loopback/],
      [{ kind: 'git', collection: 'flow', name: 'x', url: 'https://example.com/r.git', branch: '--upload-pack=evil' }, 400, /branch/],
      [{ kind: 'git', collection: 'flow', name: 'x', url: `${gitServer.url}/flow.git`, schedule: 'every hour' }, 400, /cron/],
      [{ kind: 'git', collection: 'flow', name: 'x', url: 'https://no-such-host.invalid/r.git' }, 400, /cannot be resolved/],
      [{ kind: 'git', collection: 'flow', name: 'flow-repo', url: `${gitServer.url}/flow.git` }, 409, /already has a source/],
      [{ kind: 'confluence', collection: 'flow', name: 'x', url: `${gitServer.url}/`, settings: {} }, 400, /spaces/],
      [
        { kind: 'jira', collection: 'flow', name: 'x', url: `${gitServer.url}/`, settings: { projects: ['lower'] } },
        400,
        /project key in capitals/,
      ],
      [
        { kind: 'sharepoint', collection: 'flow', name: 'x', url: `${gitServer.url}/sites/a`, settings: { unknown: 1 } },
        400,
        /SharePoint settings/,
      ],
      [
        { kind: 'git', collection: 'flow', name: 'x', url: `${gitServer.url}/flow.git`, credentials: {} },
        400,
        /a token, or an oauth client/,
      ],
      [
        {
          kind: 'sharepoint',
          collection: 'flow',
          name: 'x',
          url: `${gitServer.url}/sites/a`,
          credentials: { token: '', oauth: { clientId: 'app' } },
        },
        400,
        /clientSecret, or certificatePem with privateKeyPem/,
      ],
    ];
    const before = (await call('GET', '/sources')).json.sources.length;
    for (const [body, status, message] of cases) {
      const answer = await call('POST', '/sources', body);
      assert.equal(answer.status, status, `${JSON.stringify(body)}: ${answer.text}`);
      assert.match(answer.json.error.message, message);
    }
    assert.equal((await call('GET', '/sources')).json.sources.length, before);
  });

  it("is for admins and the collection's editors: a reader sees no sources and cannot add one", async () => {
    assert.deepEqual((await call('GET', '/sources', undefined, memberKey)).json.sources, []);
    const refused = await call(
      'POST',
      '/sources',
      { kind: 'git', collection: 'flow', name: 'mine', url: 'https://example.com/r.git' },
      memberKey,
    );
    assert.equal(refused.status, 403);
    assert.equal((await call('GET', `/sources/${sourceId}`, undefined, memberKey)).status, 403);
  });

  it('deleting the source deletes its documents', async () => {
    assert.equal((await call('DELETE', `/sources/${sourceId}`)).status, 204);
    const { json } = await call('GET', '/collections/flow/documents');
    assert.deepEqual(
      json.documents.filter((d: { externalId: string }) => d.externalId.startsWith(`source:${sourceId}`)),
      [],
    );
  });
});
