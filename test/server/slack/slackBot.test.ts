import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fullerAnswerNote } from '../../../server/slack/SlackAnswerer.ts';
import { retrievalDuration } from '../../../server/observability/metrics.ts';
import { signedSlackRequest, startSlackStandIn, type SlackCall } from '../../support/slackStandIn.ts';
import { startTestRuntime, uploadAndWait, waitFor, type TestRuntime } from '../../support/testRuntime.ts';
import { systemActor } from '../../../server/access/systemActor.ts';
import { buildAssistant, buildCollection, buildUser } from '../../support/factories.ts';

const secret = 'slack-signing-secret-for-tests';
const adminEmail = 'Admin@Tapeout.local';

describe('Slack bot over the HTTP Events API', () => {
  let runtime: TestRuntime;
  let slack: Awaited<ReturnType<typeof startSlackStandIn>>;
  let eventCount = 0;
  const send = (body: string, contentType?: string, timestamp?: number) =>
    fetch(`${runtime.url}/slack/events`, signedSlackRequest(secret, body, contentType, timestamp));
  const event = (inner: Record<string, unknown>) =>
    send(
      JSON.stringify({
        type: 'event_callback',
        team_id: 'T1',
        api_app_id: 'A1',
        event_id: `Ev${++eventCount}`,
        event_time: Math.floor(Date.now() / 1000),
        event: inner,
      }),
    );
  const mention = (user: string, text: string, ts: string, extra: Record<string, unknown> = {}) =>
    event({ type: 'app_mention', user, text: `<@UBOT> ${text}`, ts, channel: 'C1', event_ts: ts, ...extra });
  const direct = (user: string, text: string, ts: string, channel = `D_${user}`) =>
    event({ type: 'message', channel_type: 'im', user, text, ts, channel });
  /** The last edit of the message posted in reply to `threadTs` (or in `channel` with no thread), once its feedback buttons show it finished. */
  const finalAnswer = (where: { threadTs?: string; channel: string }, after = 0) =>
    waitFor(async () => {
      const placeholder = slack.calls.find(
        (c, i) => i >= after && c.method === 'chat.postMessage' && c.args.channel === where.channel && c.args.thread_ts === where.threadTs,
      );
      if (!placeholder) return undefined;
      const postedTs = slack.calls.indexOf(placeholder);
      const edits = slack.calls.filter(
        (c, i) =>
          i > postedTs && c.method === 'chat.update' && c.args.channel === where.channel && c.args.ts === slack.postedTs(placeholder),
      );
      const last = edits.at(-1);
      return last && JSON.stringify(last.args.blocks).includes('tapeout_feedback_up') ? { placeholder, last, edits } : undefined;
    }, `the answer in ${where.channel}/${where.threadTs}`);
  const text = (call: SlackCall) => JSON.stringify(call.args.blocks);
  /** Retrievals this process has run, as /metrics counts them. */
  const retrievals = async () =>
    (await retrievalDuration.get()).values.find((value) => value.metricName === 'tapeout_retrieval_duration_seconds_count')?.value ?? 0;
  /** Every post and edit Slack received in a channel, as one string. */
  const everythingIn = (channel: string) => JSON.stringify(slack.calls.filter((c) => c.args.channel === channel));

  before(async () => {
    slack = await startSlackStandIn({
      U_ADMIN: adminEmail,
      U_GUEST: { email: adminEmail, guest: 'multi-channel' },
      U_SINGLE: { email: adminEmail, guest: 'single-channel' },
      U_EXTERNAL: { email: adminEmail, team: 'T_OTHER' },
      U_STRANGER_FLAG: { email: adminEmail, stranger: true },
      U_UNCONFIRMED: { email: adminEmail, emailConfirmed: false },
      U_DELETED: { email: adminEmail, deleted: true },
      U_BOTLIKE: { email: adminEmail, isBot: true },
    });
    runtime = await startTestRuntime({
      SEED_DEMO: 'false',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: slack.apiUrl,
      SLACK_DEFAULT_ASSISTANT: 'launch',
      PUBLIC_URL: 'https://tapeout.example.com',
    });
    const { services } = runtime;
    await buildCollection(services, { slug: 'handbook', name: 'Handbook', grants: { everyone: 'read' } });
    await buildCollection(services, { slug: 'secret', name: 'Secret' });
    await buildAssistant(services, { slug: 'launch', name: 'Launch', collections: ['handbook', 'secret'] });
    await uploadAndWait(
      runtime,
      'handbook',
      'launch.md',
      '# Launch\n\nThe launch review happens every Friday with the whole team and the program manager.\n',
    );
    await uploadAndWait(
      runtime,
      'secret',
      'codename.md',
      '# Code name\n\nThe code name of the launch is BLUEFALCON; do not share it outside the core team.\n',
    );
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

  it('answers a mention in the channel thread from shared content only, and sends the asker who may read more the fuller answer by DM', async () => {
    const retrievalsBefore = await retrievals();
    assert.equal((await mention('U_ADMIN', 'What is the code name of the launch?', '1700000100.000100')).status, 200);
    const { placeholder } = await finalAnswer({ channel: 'C1', threadTs: '1700000100.000100' });
    assert.match(String(placeholder.args.text), /Searching/);
    const privately = await finalAnswer({ channel: 'D_U_ADMIN' });
    assert.equal(privately.placeholder.args.thread_ts, undefined);
    assert.match(text(privately.last), /BLUEFALCON/);
    assert.match(text(privately.last), /https:\/\/tapeout\.example\.com\/sources\/\d+\|\[\d\] Code name/);
    assert.match(text(privately.last), /Extractive answer/, 'no LLM is configured, and the answer says so');
    const note = await waitFor(
      async () => slack.calls.find((c) => c.method === 'chat.postEphemeral' && c.args.channel === 'C1'),
      'the ephemeral note',
    );
    assert.deepEqual(
      { user: note.args.user, thread: note.args.thread_ts, text: note.args.text },
      { user: 'U_ADMIN', thread: '1700000100.000100', text: fullerAnswerNote },
    );
    assert.doesNotMatch(everythingIn('C1'), /BLUEFALCON|Code name/, 'no channel post or edit carries the private passage');
    // One retrieval for the channel's answer and one for the asker's: the check for more is the private answer's own.
    assert.equal((await retrievals()) - retrievalsBefore, 2);
  });

  it('gives an unmapped user only what everyone may read, and no private DM', async () => {
    const before = slack.calls.length;
    await mention('U_NOBODY', 'What is the code name of the launch?', '1700000200.000100');
    const { last } = await finalAnswer({ channel: 'C1', threadTs: '1700000200.000100' });
    assert.doesNotMatch(text(last), /BLUEFALCON|Code name/);
    assert.equal(slack.calls.slice(before).filter((c) => c.method === 'conversations.open' || c.method === 'chat.postEphemeral').length, 0);
  });

  it("continues a thread from a plain reply, with the conversation's history", async () => {
    const before = slack.calls.length;
    await event({
      type: 'message',
      channel_type: 'channel',
      user: 'U_ADMIN',
      text: 'And when is the launch review?',
      ts: '1700000101.000100',
      thread_ts: '1700000100.000100',
      channel: 'C1',
    });
    const { last } = await finalAnswer({ channel: 'C1', threadTs: '1700000100.000100' }, before);
    assert.match(text(last), /Friday/);
    const { rows } = await runtime.services.db.query<{ count: number }>(
      `SELECT count(*)::int FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.external_ref = 'T1:C1:1700000100.000100:U_ADMIN'`,
    );
    assert.equal(rows[0]!.count, 4, 'two questions and two answers in one conversation');
    assert.doesNotMatch(everythingIn('C1'), /BLUEFALCON/);
  });

  it('answers an event once when Slack delivers it again, to this instance or to another sharing the database', async () => {
    const envelope = JSON.stringify({
      type: 'event_callback',
      team_id: 'T1',
      api_app_id: 'A1',
      event_id: 'EvRepeated1',
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: 'app_mention',
        user: 'U_ADMIN',
        text: '<@UBOT> When is the launch review?',
        ts: '1700000250.000100',
        channel: 'C1',
        event_ts: '1700000250.000100',
      },
    });
    const before = slack.calls.length;
    assert.equal((await send(envelope)).status, 200);
    assert.equal((await send(envelope)).status, 200, 'the repeat is acknowledged too, so Slack stops retrying');
    await finalAnswer({ channel: 'C1', threadTs: '1700000250.000100' }, before);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const posts = slack.calls
      .slice(before)
      .filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'C1' && c.args.thread_ts === '1700000250.000100');
    assert.equal(posts.length, 1, 'one answer in the thread');
    const { rows } = await runtime.services.db.query(`SELECT 1 FROM slack_event_receipts WHERE event_id = 'EvRepeated1'`);
    assert.equal(rows.length, 1);
  });

  it('ignores a reply in a thread Tapeout is not part of', async () => {
    const before = slack.calls.length;
    await event({
      type: 'message',
      channel_type: 'channel',
      user: 'U_ADMIN',
      text: 'lunch?',
      ts: '1700000301.000100',
      thread_ts: '1700000300.000100',
      channel: 'C1',
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(slack.calls.slice(before).filter((c) => c.method === 'chat.postMessage').length, 0);
  });

  it("answers a direct message in place, with the asker's own grants", async () => {
    await direct('U_ADMIN', 'What is the code name of the launch?', '1700000400.000100', 'D1');
    const { placeholder, last } = await finalAnswer({ channel: 'D1', threadTs: undefined });
    assert.equal(placeholder.args.thread_ts, undefined);
    assert.match(text(last), /BLUEFALCON/);
  });

  it("keeps private content out of an unmapped user's direct messages too", async () => {
    await direct('U_NOBODY', 'What is the code name of the launch?', '1700000410.000100', 'D2');
    const { last } = await finalAnswer({ channel: 'D2', threadTs: undefined });
    assert.doesNotMatch(text(last), /BLUEFALCON|Code name/);
  });

  it('answers an over-long question with the limit, storing nothing', async () => {
    await direct('U_NOBODY', 'q'.repeat(8001), '1700000430.000100', 'D3');
    const refusal = await waitFor(
      async () => slack.calls.find((c) => c.method === 'chat.update' && c.args.channel === 'D3' && /:warning:/.test(text(c))),
      'the refusal',
    );
    assert.match(text(refusal), /limited to 8,000 characters; this one has 8,001/);
    const { rows } = await runtime.services.db.query(
      `SELECT m.id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.external_ref LIKE 'T1:D3:%'`,
    );
    assert.equal(rows.length, 0);
  });

  for (const [user, what] of [
    ['U_GUEST', 'a multi-channel guest'],
    ['U_SINGLE', 'a single-channel guest'],
    ['U_EXTERNAL', 'an account of another workspace'],
    ['U_STRANGER_FLAG', 'a Slack Connect stranger'],
    ['U_UNCONFIRMED', 'an account whose email is not confirmed'],
    ['U_DELETED', 'a deactivated account'],
    ['U_BOTLIKE', 'a bot'],
  ] as const) {
    it(`does not give ${what} showing the admin's email the admin's reads`, async () => {
      await direct(user, 'What is the code name of the launch?', '1700000420.000100');
      const { last } = await finalAnswer({ channel: `D_${user}` });
      assert.doesNotMatch(text(last), /BLUEFALCON|Code name/);
    });
  }

  it('stores a thumbs-down from the asker as feedback, and refuses it from somebody else', async () => {
    const { last } = await finalAnswer({ channel: 'C1', threadTs: '1700000100.000100' });
    const answerId = JSON.stringify(last.args.blocks).match(/"value":"([0-9a-f-]{36})"/)![1]!;
    const click = (user: string) =>
      send(
        `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', team: { id: 'T1' }, user: { id: user }, api_app_id: 'A1', container: { type: 'message', channel_id: 'C1' }, channel: { id: 'C1' }, response_url: slack.responseUrl, trigger_id: 't', actions: [{ type: 'button', action_id: 'tapeout_feedback_down', block_id: 'tapeout_feedback', value: answerId, action_ts: '1' }] }))}`,
        'application/x-www-form-urlencoded',
      );
    assert.equal((await click('U_NOBODY')).status, 200);
    await waitFor(
      async () =>
        slack.calls.some((c) => c.method === 'response_url' && /Only the person who asked/.test(String(c.args.text))) ? true : undefined,
      'the refusal',
    );
    assert.equal((await click('U_ADMIN')).status, 200);
    await waitFor(
      async () =>
        slack.calls.some((c) => c.method === 'response_url' && /feedback was recorded/.test(String(c.args.text))) ? true : undefined,
      'the thanks',
    );
    const { rows } = await runtime.services.db.query('SELECT rating FROM feedback WHERE message_id = $1', [answerId]);
    assert.deepEqual(rows, [{ rating: -1 }]);
  });

  it("answers /ask in the channel from shared content, the fuller answer by DM, and continues in the answer's thread", async () => {
    const command = (text: string) =>
      send(
        new URLSearchParams({
          command: '/ask',
          text,
          team_id: 'T1',
          channel_id: 'C2',
          user_id: 'U_ADMIN',
          user_name: 'admin',
          response_url: slack.responseUrl,
          trigger_id: 't',
          api_app_id: 'A1',
          token: 'x',
        }).toString(),
        'application/x-www-form-urlencoded',
      );
    const empty = await command('  ');
    assert.match((await empty.json()).text, /Usage: \/ask/);
    const before = slack.calls.length;
    assert.equal((await command('launch: what is the code name?')).status, 200);
    await finalAnswer({ channel: 'C2', threadTs: undefined });
    await waitFor(
      async () => slack.calls.find((c, i) => i > before && c.method === 'chat.postEphemeral' && c.args.channel === 'C2'),
      'the ephemeral note',
    );
    const { last } = await finalAnswer({ channel: 'D_U_ADMIN' }, before);
    assert.match(text(last), /BLUEFALCON/);
    const answerTs = slack.calls.filter((c) => c.method === 'chat.update' && c.args.channel === 'C2').at(-1)!.args.ts as string;
    await event({
      type: 'message',
      channel_type: 'channel',
      user: 'U_ADMIN',
      text: 'who attends the review?',
      ts: '1700000601.000100',
      thread_ts: answerTs,
      channel: 'C2',
    });
    await finalAnswer({ channel: 'C2', threadTs: answerTs });
    assert.doesNotMatch(everythingIn('C2'), /BLUEFALCON/);
  });

  it("answers /ask in the bot's own DM with the asker's grants, and /ask in somebody else's DM as a shared place", async () => {
    const command = (channel: string) =>
      send(
        new URLSearchParams({
          command: '/ask',
          text: 'what is the code name of the launch?',
          team_id: 'T1',
          channel_id: channel,
          user_id: 'U_ADMIN',
          user_name: 'admin',
          response_url: slack.responseUrl,
          trigger_id: 't',
          api_app_id: 'A1',
          token: 'x',
        }).toString(),
        'application/x-www-form-urlencoded',
      );
    const before = slack.calls.length;
    await command('D_U_ADMIN');
    const own = await finalAnswer({ channel: 'D_U_ADMIN' }, before);
    assert.match(text(own.last), /BLUEFALCON/);
    await command('D_U_COLLEAGUE');
    const theirs = await finalAnswer({ channel: 'D_U_COLLEAGUE' });
    assert.doesNotMatch(text(theirs.last), /BLUEFALCON/);
    assert.doesNotMatch(everythingIn('D_U_COLLEAGUE'), /BLUEFALCON/);
  });

  it('binds channels to an assistant and an audience; admins manage bindings, members get 403', async () => {
    const { services } = runtime;
    await services.assistants.createFromInput(systemActor, {
      slug: 'open-only',
      name: 'Open only',
      systemPrompt: 'Answer from the sources.',
      collections: ['handbook'],
    });
    const put = (channel: string, body: unknown, key = runtime.apiKey) =>
      fetch(`${runtime.url}/api/slack/bindings/${channel}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    assert.equal((await put('C3', { channelName: 'launch-room', assistant: 'open-only' })).status, 200);
    assert.equal((await put('c3;drop', { assistant: 'open-only' })).status, 400);
    assert.equal((await put('C4', { assistant: 'nobody' })).status, 404);
    assert.equal((await put('C4', { assistant: 'open-only', audience: 'no-such-group' })).status, 404);
    const memberKey = (await buildUser(services, { email: 'member@example.com' })).apiKey;
    assert.equal((await put('C5', { assistant: 'open-only' }, memberKey)).status, 403);
    const listed = await (
      await fetch(`${runtime.url}/api/slack/bindings`, { headers: { authorization: `Bearer ${runtime.apiKey}` } })
    ).json();
    assert.deepEqual(listed.bindings, [{ channelId: 'C3', channelName: 'launch-room', assistant: 'open-only', audience: 'everyone' }]);
    // The bound assistant reads only the open collection, even for the admin, and even when the message names another.
    await mention('U_ADMIN', 'launch: what is the code name of the launch?', '1700000700.000100', { channel: 'C3' });
    const { last } = await finalAnswer({ channel: 'C3', threadTs: '1700000700.000100' });
    assert.doesNotMatch(text(last), /BLUEFALCON/);
    const { rows } = await services.db.query<{ assistant: string }>(
      `SELECT a.slug AS assistant FROM conversations c JOIN assistants a ON a.id = c.assistant_id WHERE c.external_ref = 'T1:C3:1700000700.000100:U_ADMIN'`,
    );
    assert.deepEqual(rows, [{ assistant: 'open-only' }]);
  });

  it('says so when nothing shared with the channel covers a question, and still answers the asker privately', async () => {
    await runtime.services.assistants.createFromInput(systemActor, {
      slug: 'secret-only',
      name: 'Secret only',
      systemPrompt: 'Answer from the sources.',
      collections: ['secret'],
    });
    await runtime.services.slackBindings.bind(systemActor, 'C6', 'core', 'secret-only');
    await mention('U_ADMIN', 'What is the code name of the launch?', '1700000800.000100', { channel: 'C6' });
    const { last } = await finalAnswer({ channel: 'C6', threadTs: '1700000800.000100' });
    assert.match(text(last), /Nothing shared in this channel covers this/);
    assert.doesNotMatch(everythingIn('C6'), /BLUEFALCON/);
    await waitFor(async () => slack.calls.find((c) => c.method === 'chat.postEphemeral' && c.args.channel === 'C6'), 'the ephemeral note');
  });

  it("lets a channel whose binding names an audience group read that group's collections, for every asker there", async () => {
    const { services } = runtime;
    const group = await services.groups.create(systemActor, { name: 'core-team' });
    await services.collections.grantToGroup(systemActor, (await services.collections.findBySlug('secret'))!.id, 'core-team');
    await services.slackBindings.bind(systemActor, 'C7', 'core-room', 'launch', 'core-team');
    await mention('U_NOBODY', 'What is the code name of the launch?', '1700000900.000100', { channel: 'C7' });
    const { last } = await finalAnswer({ channel: 'C7', threadTs: '1700000900.000100' });
    assert.match(text(last), /BLUEFALCON/, "the admin declared core-team as the channel's readers");
    await services.groups.delete(systemActor, group.id);
    await mention('U_NOBODY', 'What is the code name of the launch?', '1700000901.000100', { channel: 'C7' });
    const afterDelete = await finalAnswer({ channel: 'C7', threadTs: '1700000901.000100' });
    assert.doesNotMatch(text(afterDelete.last), /BLUEFALCON/, 'a deleted audience group falls back to everyone');
  });

  it('waits out a 429 from chat.update and still delivers the final answer', async () => {
    slack.rateLimitNext('chat.update', 1);
    // Asked by an unmapped user, so the channel's answer is the only one streaming.
    await mention('U_NOBODY', 'When is the launch review?', '1700000500.000100');
    const { last } = await finalAnswer({ channel: 'C1', threadTs: '1700000500.000100' });
    const limited = slack.calls.find((c) => c.method === 'chat.update (429)')!;
    assert.ok(limited, 'Slack said 429 once');
    assert.ok(last.at - limited.at >= 950, `retried after Retry-After (${last.at - limited.at} ms)`);
    assert.match(text(last), /Friday/);
  });

  it('never posted the private fact into a channel read by people who may not read it', () => {
    for (const channel of ['C1', 'C2', 'C3', 'C6', 'D_U_COLLEAGUE']) assert.doesNotMatch(everythingIn(channel), /BLUEFALCON/, channel);
  });
});
