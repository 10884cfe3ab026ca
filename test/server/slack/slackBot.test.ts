import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateApiKey } from '../../../server/auth/apiKeys.ts';
import { signedSlackRequest, startSlackStandIn, type SlackCall } from '../../support/slackStandIn.ts';
import { startTestRuntime, uploadAndWait, waitFor, type TestRuntime } from '../../support/testRuntime.ts';

const secret = 'slack-signing-secret-for-tests';

describe('Slack bot over the HTTP Events API', () => {
  let runtime: TestRuntime;
  let slack: Awaited<ReturnType<typeof startSlackStandIn>>;
  let eventCount = 0;
  const send = (body: string, contentType?: string, timestamp?: number) => fetch(`${runtime.url}/slack/events`, signedSlackRequest(secret, body, contentType, timestamp));
  const event = (inner: Record<string, unknown>) => send(JSON.stringify({ type: 'event_callback', team_id: 'T1', api_app_id: 'A1', event_id: `Ev${++eventCount}`, event_time: Math.floor(Date.now() / 1000), event: inner }));
  const mention = (user: string, text: string, ts: string, extra: Record<string, unknown> = {}) =>
    event({ type: 'app_mention', user, text: `<@UBOT> ${text}`, ts, channel: 'C1', event_ts: ts, ...extra });
  /** The last edit of the message posted in reply to `threadTs` (or in `channel` with no thread), once its feedback buttons show it finished. */
  const finalAnswer = (where: { threadTs?: string; channel: string }) =>
    waitFor(async () => {
      const placeholder = slack.calls.find((c) => c.method === 'chat.postMessage' && c.args.channel === where.channel && c.args.thread_ts === where.threadTs);
      if (!placeholder) return undefined;
      const postedTs = slack.calls.indexOf(placeholder);
      const edits = slack.calls.filter((c, i) => i > postedTs && c.method === 'chat.update' && c.args.channel === where.channel);
      const last = edits.at(-1);
      return last && JSON.stringify(last.args.blocks).includes('tapeout_feedback_up') ? { placeholder, last, edits } : undefined;
    }, `the answer in ${where.channel}/${where.threadTs}`);
  const text = (call: SlackCall) => JSON.stringify(call.args.blocks);

  before(async () => {
    slack = await startSlackStandIn({ U_ADMIN: 'Admin@Tapeout.local' });
    runtime = await startTestRuntime({
      SEED_DEMO: 'false',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: slack.apiUrl,
      SLACK_DEFAULT_ASSISTANT: 'launch',
      PUBLIC_URL: 'https://tapeout.example.com',
    });
    const { services } = runtime;
    const model = { embeddingModel: services.embedder.model, embeddingDimension: await services.embedder.dimension() };
    const open = await services.collections.create({ slug: 'handbook', name: 'Handbook', ...model });
    await services.collections.grantToGroup(open.id, 'everyone');
    const secretCollection = await services.collections.create({ slug: 'secret', name: 'Secret', ...model });
    await services.assistants.create({ slug: 'launch', name: 'Launch', systemPrompt: 'Answer from the sources.', collectionIds: [open.id, secretCollection.id] });
    await uploadAndWait(runtime, 'handbook', 'launch.md', '# Launch\n\nThe launch review happens every Friday with the whole team and the program manager.\n');
    await uploadAndWait(runtime, 'secret', 'codename.md', '# Code name\n\nThe code name of the launch is BLUEFALCON; do not share it outside the core team.\n');
  });
  after(async () => {
    await runtime?.dispose();
    await slack?.close();
  });

  it('answers the url_verification challenge', async () => {
    const response = await send(JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 'x' }));
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { challenge: 'c-123' });
  });

  it('refuses forged and stale requests with 401 and a JSON reason', async () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'c-123' });
    const forged = await fetch(`${runtime.url}/slack/events`, signedSlackRequest('not-the-secret', body));
    assert.equal(forged.status, 401);
    assert.match((await forged.json()).error.message, /not signed by Slack: .*signature mismatch/i);
    const stale = await send(body, 'application/json', Math.floor(Date.now() / 1000) - 6 * 60);
    assert.equal(stale.status, 401);
    assert.match((await stale.json()).error.message, /stale|too old/i);
    const unsigned = await fetch(`${runtime.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal(unsigned.status, 401);
  });

  it('answers a mapped user\'s mention in the thread, with the private fact, a citation to the source viewer and feedback buttons', async () => {
    assert.equal((await mention('U_ADMIN', 'What is the code name of the launch?', '1700000100.000100')).status, 200);
    const { placeholder, last } = await finalAnswer({ channel: 'C1', threadTs: '1700000100.000100' });
    assert.match(String(placeholder.args.text), /Searching/);
    assert.match(text(last), /BLUEFALCON/);
    assert.match(text(last), /https:\/\/tapeout\.example\.com\/sources\/\d+\|\[\d\] Code name/);
    assert.match(text(last), /Extractive answer/, 'no LLM is configured, and the answer says so');
  });

  it('gives an unmapped user only what everyone may read, politely', async () => {
    await mention('U_STRANGER', 'What is the code name of the launch?', '1700000200.000100');
    const { last } = await finalAnswer({ channel: 'C1', threadTs: '1700000200.000100' });
    assert.doesNotMatch(text(last), /BLUEFALCON/);
    assert.doesNotMatch(text(last), /Code name/);
  });

  it('continues a thread from a plain reply, with the conversation\'s history', async () => {
    const before = slack.calls.length;
    await event({ type: 'message', channel_type: 'channel', user: 'U_ADMIN', text: 'And when is the launch review?', ts: '1700000101.000100', thread_ts: '1700000100.000100', channel: 'C1' });
    await waitFor(async () => {
      const later = slack.calls.slice(before);
      const posted = later.find((c) => c.method === 'chat.postMessage');
      return posted && later.some((c) => c.method === 'chat.update' && /Friday/.test(JSON.stringify(c.args.blocks)) && /tapeout_feedback_up/.test(JSON.stringify(c.args.blocks))) ? posted : undefined;
    }, 'the follow-up answer');
    assert.equal(slack.calls.slice(before).find((c) => c.method === 'chat.postMessage')!.args.thread_ts, '1700000100.000100');
    const { rows } = await runtime.services.db.query<{ count: number }>(`SELECT count(*)::int FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.external_ref = 'T1:C1:1700000100.000100:U_ADMIN'`);
    assert.equal(rows[0]!.count, 4, 'two questions and two answers in one conversation');
  });

  it('ignores a reply in a thread Tapeout is not part of', async () => {
    const before = slack.calls.length;
    await event({ type: 'message', channel_type: 'channel', user: 'U_ADMIN', text: 'lunch?', ts: '1700000301.000100', thread_ts: '1700000300.000100', channel: 'C1' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(slack.calls.slice(before).filter((c) => c.method === 'chat.postMessage').length, 0);
  });

  it('answers a direct message in place', async () => {
    await event({ type: 'message', channel_type: 'im', user: 'U_ADMIN', text: 'When is the launch review?', ts: '1700000400.000100', channel: 'D1' });
    const { placeholder, last } = await finalAnswer({ channel: 'D1', threadTs: undefined });
    assert.equal(placeholder.args.thread_ts, undefined);
    assert.match(text(last), /Friday/);
  });

  it('keeps private content out of an unmapped user\'s direct messages too', async () => {
    await event({ type: 'message', channel_type: 'im', user: 'U_STRANGER', text: 'What is the code name of the launch?', ts: '1700000410.000100', channel: 'D2' });
    const { last } = await finalAnswer({ channel: 'D2', threadTs: undefined });
    assert.doesNotMatch(text(last), /BLUEFALCON|Code name/);
  });

  it('stores a thumbs-down from the asker as feedback, and refuses it from somebody else', async () => {
    const { last } = await finalAnswer({ channel: 'C1', threadTs: '1700000100.000100' });
    const answerId = JSON.stringify(last.args.blocks).match(/"value":"([0-9a-f-]{36})"/)![1]!;
    const click = (user: string) =>
      send(
        `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', team: { id: 'T1' }, user: { id: user }, api_app_id: 'A1', container: { type: 'message', channel_id: 'C1' }, channel: { id: 'C1' }, response_url: slack.responseUrl, trigger_id: 't', actions: [{ type: 'button', action_id: 'tapeout_feedback_down', block_id: 'tapeout_feedback', value: answerId, action_ts: '1' }] }))}`,
        'application/x-www-form-urlencoded',
      );
    assert.equal((await click('U_STRANGER')).status, 200);
    await waitFor(async () => (slack.calls.some((c) => c.method === 'response_url' && /Only the person who asked/.test(String(c.args.text))) ? true : undefined), 'the refusal');
    assert.equal((await click('U_ADMIN')).status, 200);
    await waitFor(async () => (slack.calls.some((c) => c.method === 'response_url' && /feedback was recorded/.test(String(c.args.text))) ? true : undefined), 'the thanks');
    const { rows } = await runtime.services.db.query('SELECT rating FROM feedback WHERE message_id = $1', [answerId]);
    assert.deepEqual(rows, [{ rating: -1 }]);
  });

  it('answers /ask in the channel, with the named assistant, and continues in the answer\'s thread', async () => {
    const command = (text: string) =>
      send(
        new URLSearchParams({ command: '/ask', text, team_id: 'T1', channel_id: 'C2', user_id: 'U_ADMIN', user_name: 'admin', response_url: slack.responseUrl, trigger_id: 't', api_app_id: 'A1', token: 'x' }).toString(),
        'application/x-www-form-urlencoded',
      );
    const empty = await command('  ');
    assert.match((await empty.json()).text, /Usage: \/ask/);
    assert.equal((await command('launch: what is the code name?')).status, 200);
    const { last } = await finalAnswer({ channel: 'C2', threadTs: undefined });
    assert.match(text(last), /BLUEFALCON/);
    const answerTs = slack.calls.filter((c) => c.method === 'chat.update' && c.args.channel === 'C2').at(-1)!.args.ts as string;
    await event({ type: 'message', channel_type: 'channel', user: 'U_ADMIN', text: 'who attends the review?', ts: '1700000601.000100', thread_ts: answerTs, channel: 'C2' });
    await finalAnswer({ channel: 'C2', threadTs: answerTs });
  });

  it('answers in a bound channel with its assistant; admins manage bindings, members get 403', async () => {
    const { services } = runtime;
    await services.assistants.createFromInput({ slug: 'open-only', name: 'Open only', systemPrompt: 'Answer from the sources.', collections: ['handbook'] });
    const put = (channel: string, body: unknown, key = runtime.apiKey) =>
      fetch(`${runtime.url}/api/slack/bindings/${channel}`, { method: 'PUT', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await put('C3', { channelName: 'launch-room', assistant: 'open-only' })).status, 200);
    assert.equal((await put('c3;drop', { assistant: 'open-only' })).status, 400);
    assert.equal((await put('C4', { assistant: 'nobody' })).status, 404);
    const member = await services.users.create({ email: 'member@example.com', role: 'member' });
    const memberKey = generateApiKey();
    await services.users.addApiKey(member.id, memberKey, 'test');
    assert.equal((await put('C5', { assistant: 'open-only' }, memberKey)).status, 403);
    const listed = await (await fetch(`${runtime.url}/api/slack/bindings`, { headers: { authorization: `Bearer ${runtime.apiKey}` } })).json();
    assert.deepEqual(listed.bindings, [{ channelId: 'C3', channelName: 'launch-room', assistant: 'open-only' }]);
    // The bound assistant reads only the open collection, even for the admin, and even when the message names another.
    await mention('U_ADMIN', 'launch: what is the code name of the launch?', '1700000700.000100', { channel: 'C3' });
    const { last } = await finalAnswer({ channel: 'C3', threadTs: '1700000700.000100' });
    assert.doesNotMatch(text(last), /BLUEFALCON/);
    const { rows } = await services.db.query<{ assistant: string }>(`SELECT a.slug AS assistant FROM conversations c JOIN assistants a ON a.id = c.assistant_id WHERE c.external_ref = 'T1:C3:1700000700.000100:U_ADMIN'`);
    assert.deepEqual(rows, [{ assistant: 'open-only' }]);
  });

  it('waits out a 429 from chat.update and still delivers the final answer', async () => {
    slack.rateLimitNext('chat.update', 1);
    await mention('U_ADMIN', 'When is the launch review?', '1700000500.000100');
    const { last } = await finalAnswer({ channel: 'C1', threadTs: '1700000500.000100' });
    const limited = slack.calls.find((c) => c.method === 'chat.update (429)')!;
    assert.ok(limited, 'Slack said 429 once');
    assert.ok(last.at - limited.at >= 950, `retried after Retry-After (${last.at - limited.at} ms)`);
    assert.match(text(last), /Friday/);
  });
});
