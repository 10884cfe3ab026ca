import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ThrottledUpdate } from '../../../server/slack/ThrottledUpdate.ts';

describe('ThrottledUpdate: edits of a streaming Slack message', () => {
  it('sends at most once per interval, one at a time, in order, and the final state last', async () => {
    let state = 0;
    const sent: { value: number; at: number }[] = [];
    let inFlight = 0;
    let overlapped = false;
    const updates = new ThrottledUpdate(
      async () => {
        overlapped ||= inFlight > 0;
        inFlight++;
        const value = state;
        await new Promise((resolve) => setTimeout(resolve, 80)); // a slow chat.update
        sent.push({ value, at: Date.now() });
        inFlight--;
      },
      200,
      (error) => assert.fail(String(error)),
    );
    const started = Date.now();
    while (Date.now() - started < 700) {
      state++;
      updates.request();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    state = 999;
    await updates.flush();
    assert.equal(overlapped, false, 'never two edits at once');
    assert.ok(sent.length >= 3 && sent.length <= 6, `about one edit per 200 ms over 700 ms, not one per token (${sent.length})`);
    assert.deepEqual(
      sent.map((s) => s.value),
      [...sent.map((s) => s.value)].sort((a, b) => a - b),
      'in order',
    );
    assert.equal(sent.at(-1)!.value, 999, 'the final state last');
  });

  it('reports a failed edit and carries on', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const updates = new ThrottledUpdate(
      async () => {
        if (++calls === 1) throw new Error('ratelimited');
      },
      10,
      (error) => errors.push(error),
    );
    updates.request();
    await new Promise((resolve) => setTimeout(resolve, 30));
    await updates.flush();
    assert.deepEqual([calls, errors.length], [2, 1]);
  });
});
