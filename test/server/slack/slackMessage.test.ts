import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerMessage, errorMessage, toSlackMrkdwn } from '../../../server/slack/slackMessage.ts';

const hostile =
  'Ping <!channel> and <!here>, <@U0ADMIN>; read [the release notes](https://evil.example/phish) or <https://evil.example|the wiki>.';

describe('Slack message text', () => {
  it('escapes mentions and Slack links in the blocks and in the plain fallback alike', () => {
    const message = answerMessage({ text: hostile, citations: [], extractive: false, webUrl: 'https://tapeout.example.com' });
    for (const text of [message.text, JSON.stringify(message.blocks)]) {
      assert.doesNotMatch(text, /<!channel>|<!here>|<@U0ADMIN>|<https:\/\/evil\.example\|/);
      assert.match(text, /&lt;!channel&gt;/);
    }
    assert.doesNotMatch(errorMessage('<!channel> broke').text, /<!channel>/);
  });

  it('shows a Markdown link as its label and its real target, never a label alone', () => {
    assert.equal(
      toSlackMrkdwn('see [the release notes](https://evil.example/phish)'),
      'see the release notes (<https://evil.example/phish>)',
    );
    assert.equal(
      toSlackMrkdwn('[x](https://a.example|https://bank.example)'),
      '[x](https://a.example|https://bank.example)',
      'a | cannot smuggle a label in',
    );
  });

  it('keeps bold and headings, and gets through a pathological answer (quadratic patterns would not finish)', () => {
    assert.equal(toSlackMrkdwn('## Rules\n**always** reset'), '*Rules*\n*always* reset');
    assert.equal(toSlackMrkdwn(`${'['.repeat(100_000)}${'*'.repeat(100_000)}`).length, 200_000);
  });
});
