import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSlackStandIn } from '../../support/slackStandIn.ts';
import { createOpenCollection, startTestRuntime, uploadAndWait, waitFor, type TestRuntime } from '../../support/testRuntime.ts';
import { systemActor } from '../../../server/access/systemActor.ts';

describe('Slack bot in Socket Mode', () => {
  let runtime: TestRuntime;
  let slack: Awaited<ReturnType<typeof startSlackStandIn>>;

  before(async () => {
    slack = await startSlackStandIn({});
    runtime = await startTestRuntime({
      SEED_DEMO: 'false',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_APP_TOKEN: 'xapp-test-token',
      SLACK_API_URL: slack.apiUrl,
      SLACK_DEFAULT_ASSISTANT: 'lab',
    });
    await createOpenCollection(runtime, 'lab-notes');
    await runtime.services.assistants.createFromInput(systemActor, {
      slug: 'lab',
      name: 'Lab',
      systemPrompt: 'Answer from the sources.',
      collections: ['lab-notes'],
    });
    await uploadAndWait(
      runtime,
      'lab-notes',
      'lab.md',
      '# Lab\n\nThe bring-up board needs the 12 V supply before the JTAG probe is attached.\n',
    );
  });
  after(async () => {
    await runtime?.dispose();
    await slack?.close();
  });

  it('connects over the WebSocket Slack hands out, needs no /slack/events, and answers an envelope it acknowledged', async () => {
    await waitFor(async () => (slack.socketConnected() ? true : undefined), 'the Socket Mode connection');
    assert.ok(slack.calls.some((c) => c.method === 'apps.connections.open'));
    assert.equal(
      (await fetch(`${runtime.url}/slack/events`, { method: 'POST', body: '{}' })).status,
      404,
      'no HTTP endpoint in Socket Mode',
    );
    slack.sendEnvelope('env-1', 'events_api', {
      type: 'event_callback',
      team_id: 'T1',
      api_app_id: 'A1',
      event_id: 'Ev1',
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: 'app_mention',
        user: 'U1',
        text: '<@UBOT> What does the bring-up board need before the JTAG probe?',
        ts: '1700000000.000100',
        channel: 'C1',
        event_ts: '1700000000.000100',
      },
    });
    await waitFor(async () => (slack.acknowledged.includes('env-1') ? true : undefined), 'the acknowledgement');
    const answered = await waitFor(
      async () =>
        slack.calls.find(
          (c) =>
            c.method === 'chat.update' &&
            /12 V supply/.test(JSON.stringify(c.args.blocks)) &&
            /tapeout_feedback_up/.test(JSON.stringify(c.args.blocks)),
        ),
      'the answer',
    );
    assert.equal(slack.calls.find((c) => c.method === 'chat.postMessage')!.args.thread_ts, '1700000000.000100');
    assert.ok(answered);
  });
});
