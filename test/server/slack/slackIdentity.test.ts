import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SlackUser } from '../../../server/slack/SlackApi.ts';
import { slackMapping } from '../../../server/slack/slackIdentity.ts';

const member: SlackUser = {
  id: 'U1',
  teamId: 'T1',
  deleted: false,
  isBot: false,
  isGuest: false,
  isStranger: false,
  email: 'ana@example.com',
  emailConfirmed: true,
};

describe('slackMapping', () => {
  it('maps a full member of the workspace with a confirmed email', () => {
    assert.deepEqual(slackMapping(member, 'T1', false), { email: 'ana@example.com' });
  });

  it('leaves everyone else unmapped, with the reason', () => {
    const cases: [Partial<SlackUser>, RegExp][] = [
      [{ deleted: true }, /deactivated/],
      [{ isBot: true }, /bot/],
      [{ teamId: 'T2' }, /another workspace/],
      [{ isStranger: true }, /another workspace/],
      [{ isGuest: true }, /guest/],
      [{ email: undefined }, /no email/],
      [{ emailConfirmed: false }, /not confirmed/],
    ];
    for (const [change, reason] of cases) {
      const mapping = slackMapping({ ...member, ...change }, 'T1', false);
      assert.ok('unmapped' in mapping && reason.test(mapping.unmapped), `${JSON.stringify(change)}: ${JSON.stringify(mapping)}`);
    }
    assert.ok('unmapped' in slackMapping(undefined, 'T1', false));
    assert.ok('unmapped' in slackMapping(member, undefined, false), "without the bot's own workspace nothing can be checked");
  });

  it('maps guests only with SLACK_ALLOW_GUESTS, and never a guest of another workspace', () => {
    assert.deepEqual(slackMapping({ ...member, isGuest: true }, 'T1', true), { email: 'ana@example.com' });
    assert.ok('unmapped' in slackMapping({ ...member, isGuest: true, teamId: 'T2' }, 'T1', true));
    assert.ok('unmapped' in slackMapping({ ...member, isGuest: true, emailConfirmed: false }, 'T1', true));
  });
});
