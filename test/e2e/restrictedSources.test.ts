import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { io } from 'socket.io-client';
import { systemActor } from '../../server/access/systemActor.ts';
import { ConfluenceStandIn } from '../support/confluenceStandIn.ts';
import { buildAssistant, buildCollection, buildUser } from '../support/factories.ts';
import { createGroup } from '../support/fixtures.ts';
import { GraphStandIn } from '../support/graphStandIn.ts';
import { JiraStandIn } from '../support/jiraStandIn.ts';
import { signedSlackRequest, startSlackStandIn } from '../support/slackStandIn.ts';
import { readEvents } from '../support/sse.ts';
import { startTestRuntime, uploadAndWait, waitFor, type TestRuntime } from '../support/testRuntime.ts';

const slackSecret = 'slack-signing-secret-restricted';

/** Each restricted document: the question that finds it, and a word only it holds. */
const restricted = [
  { kind: 'Confluence page', title: 'Respin budget', question: 'What is the respin budget for orion_top?', secret: 'QUASARFUND' },
  { kind: 'SharePoint file', title: 'Bring-up plan', question: 'Who leads the orion_top silicon bring-up plan?', secret: 'KESTRELBENCH' },
  { kind: 'Jira issue', title: 'SEC-1: Fuse word leaks the key', question: 'Does fuse word 9 leak the key?', secret: 'MAGPIEFUSE' },
] as const;

/**
 * Documents whose readers come from their source, asked about on every surface by someone among
 * the readers and by someone who is not: the web's REST chat, socket.io, /v1, the source viewer,
 * downloads and a Slack channel (read by everyone, so it gets only what everyone may read).
 */
describe('restricted documents on every surface', () => {
  let runtime: TestRuntime;
  let confluence: ConfluenceStandIn;
  let graph: GraphStandIn;
  let jira: JiraStandIn;
  let slack: Awaited<ReturnType<typeof startSlackStandIn>>;
  let insider: { apiKey: string };
  let outsider: { apiKey: string };

  before(async () => {
    confluence = await ConfluenceStandIn.start({ deployment: 'cloud', acceptedAuthorization: 'Bearer confluence-pat' });
    confluence.pages.set('1', {
      id: '1',
      space: 'HW',
      title: 'Respin budget',
      ancestors: [],
      version: 1,
      body: '<p>The respin budget for orion_top is four million dollars, code QUASARFUND, approved by the board.</p>',
      restrictions: { users: [], groups: [{ id: 'g-leads', name: 'hw-leads' }] },
    });
    graph = await GraphStandIn.start();
    graph.put({
      id: 'plan',
      name: 'bring-up.md',
      parentId: 'root',
      bytes: Buffer.from('# Bring-up plan\n\nThe orion_top silicon bring-up plan is led by Dana at bench KESTRELBENCH.\n'),
      permissions: [{ id: 'p', roles: ['read'], grantedToV2: { group: { id: 'entra-leads', displayName: 'HW Leads' } } }],
    });
    jira = await JiraStandIn.start({ deployment: 'cloud', acceptedAuthorization: 'Bearer jira-pat', pageSize: 50 });
    jira.browse.set('SEC', [{ type: 'applicationRole' }]);
    jira.levels.set('77', [{ type: 'group', parameter: 'hw-leads', value: 'g-leads' }]);
    jira.issues.set('SEC-1', {
      key: 'SEC-1',
      project: 'SEC',
      summary: 'Fuse word leaks the key',
      status: 'Open',
      updated: '2026-12-01T10:00:00.000+0000',
      description: '<p>Fuse word 9 leaks the key through the MAGPIEFUSE scan chain.</p>',
      security: { id: '77', name: 'Embargo' },
      comments: [],
    });
    slack = await startSlackStandIn({ U_LEAD: 'lead@example.com' });
    runtime = await startTestRuntime({
      SEED_DEMO: 'false',
      CONNECTOR_ALLOWED_HOSTS: '127.0.0.1',
      SOURCE_CREDENTIALS_KEY: randomBytes(32).toString('base64'),
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: slackSecret,
      SLACK_API_URL: slack.apiUrl,
      SLACK_DEFAULT_ASSISTANT: 'lab',
    });
    const { services } = runtime;
    const lead = await buildUser(services, { email: 'lead@example.com' });
    const guest = await buildUser(services, { email: 'guest@example.com' });
    [insider, outsider] = [lead, guest];
    const leads = await createGroup(services.db, 'hw-leads', [lead]);
    await services.db.query(`UPDATE groups SET external_id = 'entra-leads', managed_by = 'scim' WHERE id = $1`, [leads]);
    await buildCollection(services, { slug: 'lab', grants: { everyone: 'read' } });
    await buildAssistant(services, { slug: 'lab', collections: ['lab'] });
    // An open copy of the restricted page's text, without its secret: what the outsider may read.
    await uploadAndWait(
      runtime,
      'lab',
      'budget-faq.md',
      '# Budget FAQ\n\nThe respin budget for orion_top is set by the board each quarter.\n',
    );
    const add = (kind: 'confluence' | 'sharepoint' | 'jira', url: string, settings: Record<string, unknown>, credentials: object) =>
      services.syncedSources.create(systemActor, { kind, collection: 'lab', name: kind, url, settings, credentials: credentials as never });
    await add('confluence', confluence.url, { spaces: ['HW'], deployment: 'cloud', spacePermissions: false }, { token: 'confluence-pat' });
    await add(
      'sharepoint',
      `${graph.url}/sites/Hardware`,
      { graphUrl: `${graph.url}/v1.0`, tokenUrl: `${graph.url}/{tenant}/oauth2/v2.0/token` },
      { token: '', oauth: { tenantId: 't', clientId: 'app', clientSecret: graph.clientSecret } },
    );
    await add('jira', jira.url, { projects: ['SEC'], deployment: 'cloud' }, { token: 'jira-pat' });
    await waitFor(async () => {
      const { rows } = await services.db.query<{ ready: number }>(
        `SELECT count(*)::int AS ready FROM documents WHERE source = 'source' AND status = 'ready'`,
      );
      return rows[0]!.ready === 3 || undefined;
    }, 'the three sources synced and ingested');
  });
  after(async () => {
    await runtime?.dispose();
    await Promise.all([confluence?.close(), graph?.close(), jira?.close(), slack?.close()]);
  });

  const headers = (key: string) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });
  const restChat = async (key: string, question: string) => {
    const created = await fetch(`${runtime.url}/api/conversations`, {
      method: 'POST',
      headers: headers(key),
      body: JSON.stringify({ assistant: 'lab' }),
    });
    const { conversation } = (await created.json()) as { conversation: { id: string } };
    const events = await readEvents(
      await fetch(`${runtime.url}/api/conversations/${conversation.id}/messages`, {
        method: 'POST',
        headers: headers(key),
        body: JSON.stringify({ content: question }),
      }),
    );
    return JSON.stringify(events);
  };
  const socketChat = async (key: string, question: string) => {
    const created = await fetch(`${runtime.url}/api/conversations`, {
      method: 'POST',
      headers: headers(key),
      body: JSON.stringify({ assistant: 'lab' }),
    });
    const { conversation } = (await created.json()) as { conversation: { id: string } };
    const socket = io(runtime.url, { auth: { token: key }, transports: ['websocket'], reconnection: false });
    try {
      const seen: unknown[] = [];
      socket.onAny((event, data) => seen.push([event, data]));
      const done = new Promise((resolve) => socket.on('chat:done', resolve));
      await socket.timeout(10_000).emitWithAck('chat:send', { conversationId: conversation.id, content: question });
      await done;
      return JSON.stringify(seen);
    } finally {
      socket.close();
    }
  };
  const openAiChat = async (key: string, question: string) => {
    const response = await fetch(`${runtime.url}/v1/chat/completions`, {
      method: 'POST',
      headers: headers(key),
      body: JSON.stringify({ model: 'lab', messages: [{ role: 'user', content: question }] }),
    });
    assert.equal(response.status, 200);
    return JSON.stringify(await response.json());
  };

  for (const document of restricted) {
    for (const [surface, ask] of [
      ['REST chat', restChat],
      ['socket.io', socketChat],
      ['/v1/chat/completions', openAiChat],
    ] as const) {
      it(`${surface}: a ${document.kind} answers its readers and nobody else`, async () => {
        const mine = await ask(insider.apiKey, document.question);
        assert.match(mine, new RegExp(document.secret), `the reader gets the ${document.kind}`);
        const theirs = await ask(outsider.apiKey, document.question);
        assert.doesNotMatch(theirs, new RegExp(document.secret));
        assert.doesNotMatch(theirs, new RegExp(document.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'not even its title');
      });
    }
  }

  it('near-duplicate text elsewhere is what the outsider is cited, never the restricted page', async () => {
    const theirs = await restChat(outsider.apiKey, 'What is the respin budget for orion_top?');
    assert.match(theirs, /Budget FAQ/);
    assert.doesNotMatch(theirs, /Respin budget|QUASARFUND/);
  });

  it('the source viewer and the download answer 404 to the outsider', async () => {
    const { rows } = await runtime.services.db.query<{ chunk: string; document: string }>(
      `SELECT c.id::text AS chunk, d.id AS document FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.title = 'Respin budget' LIMIT 1`,
    );
    const { chunk, document } = rows[0]!;
    for (const [path, key, status] of [
      [`/api/passages/${chunk}`, insider.apiKey, 200],
      [`/api/passages/${chunk}`, outsider.apiKey, 404],
      [`/api/documents/${document}/file`, insider.apiKey, 200],
      [`/api/documents/${document}/file`, outsider.apiKey, 404],
    ] as const) {
      const response = await fetch(`${runtime.url}${path}`, { headers: headers(key) });
      assert.equal(response.status, status, `${path} for ${key === insider.apiKey ? 'the reader' : 'the outsider'}`);
      if (status === 404) assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'not_found');
    }
  });

  it("Slack: a reader's question in a channel is answered there from what everyone may read, the restricted facts by DM only", async () => {
    const body = JSON.stringify({
      type: 'event_callback',
      team_id: 'T1',
      api_app_id: 'A1',
      event_id: 'EvRestricted1',
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: 'app_mention',
        user: 'U_LEAD',
        text: '<@UBOT> What is the respin budget for orion_top?',
        ts: '1700.1',
        channel: 'C1',
        event_ts: '1700.1',
      },
    });
    assert.equal((await fetch(`${runtime.url}/slack/events`, signedSlackRequest(slackSecret, body))).status, 200);
    await waitFor(
      async () => slack.calls.some((c) => c.args.channel === 'D_U_LEAD' && JSON.stringify(c.args).includes('QUASARFUND')) || undefined,
      'the DM',
    );
    const channel = JSON.stringify(slack.calls.filter((c) => c.args.channel === 'C1'));
    assert.ok(channel.length > 2, 'the channel was answered');
    assert.doesNotMatch(channel, /QUASARFUND|Respin budget/);
  });

  it('a permission revoked at the source stops the answers after the next permission-only sync', async () => {
    confluence.pages.get('1')!.restrictions = { users: [], groups: [{ id: 'g-other', name: 'finance' }] };
    const source = (await runtime.services.syncedSources.list(systemActor)).find((s) => s.kind === 'confluence')!;
    const { run } = await runtime.services.syncedSources.requestSync(systemActor, source.id, 'permissions');
    await waitFor(async () => {
      const view = await runtime.services.syncedSources.get(systemActor, source.id);
      const done = view.runs.find((r) => r.id === run.id);
      return done && done.status !== 'queued' && done.status !== 'running' ? done : undefined;
    }, 'the permission-only sync');
    assert.doesNotMatch(await restChat(insider.apiKey, 'What is the respin budget for orion_top?'), /QUASARFUND/);
  });
});
