import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../../../server/db/Database.ts';
import { everyOnOneInstance, SchedulerLeases } from '../../../server/scheduling/SchedulerLeases.ts';
import { openTestDatabase } from '../../support/testDatabase.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SchedulerLeases: periodic work on one instance of several', () => {
  let db: Database;
  before(async () => {
    db = await openTestDatabase();
  });
  after(() => db?.close());

  it('gives a task to one holder, which renews it, until it lapses and another takes it over', async () => {
    const a = new SchedulerLeases(db, 'instance-a');
    const b = new SchedulerLeases(db, 'instance-b');
    assert.equal(await a.hold('sweep', 300), true);
    assert.equal(await b.hold('sweep', 300), false, 'held by a');
    assert.equal(await a.hold('sweep', 300), true, 'a renews it');
    assert.equal(await b.hold('other-task', 300), true, 'each task has its own lease');
    await pause(400);
    assert.equal(await b.hold('sweep', 300), true, 'lapsed: b takes it over');
    assert.equal(await a.hold('sweep', 300), false);
  });

  it('runs the work of two instances ticking together on one of them only', async () => {
    const ran: string[] = [];
    const stops = ['one', 'two'].map((name) =>
      everyOnOneInstance(
        new SchedulerLeases(db, name),
        'purge',
        50,
        async () => void ran.push(name),
        (error) => assert.fail(String(error)),
      ),
    );
    await pause(600);
    for (const stop of stops) stop();
    assert.ok(ran.length >= 5, `ticked (${ran.length} times)`);
    assert.equal(new Set(ran).size, 1, 'always the same instance');
  });
});
