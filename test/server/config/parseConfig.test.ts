import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, parseConfig } from '../../../server/config/index.ts';

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  assert.fail('expected a ConfigError');
}

describe('parseConfig', () => {
  it('runs everything embedded when nothing is configured', () => {
    const config = parseConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.dataDir, path.resolve('./data'));
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.redisUrl, undefined);
    assert.equal(config.llm, undefined);
    assert.equal(config.embeddings, undefined);
    assert.equal(config.reranker, undefined);
    assert.equal(config.seedDemo, true);
    assert.deepEqual(config.ingestion, { parseTimeoutMs: 120_000, parseMemoryMb: 512, stageTimeoutMs: 600_000 });
    assert.equal(config.queueStalledMs, 30_000);
  });

  it('treats empty strings as unset, as docker-compose writes them', () => {
    const config = parseConfig({ DATABASE_URL: '', LLM_BASE_URL: '', PORT: '' });
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.llm, undefined);
    assert.equal(config.port, 3000);
  });

  it('splits comma-separated replicas and strips trailing slashes', () => {
    const config = parseConfig({
      LLM_BASE_URL: 'http://nim-a:8000/v1/, http://nim-b:8000/v1',
      LLM_MODEL: 'meta/llama-3.1-8b-instruct',
    });
    assert.deepEqual(config.llm?.baseUrls, ['http://nim-a:8000/v1', 'http://nim-b:8000/v1']);
    assert.equal(config.llm?.model, 'meta/llama-3.1-8b-instruct');
  });

  it('names the variable of every bad value', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://db/x',
      EMBEDDINGS_BASE_URL: 'http://nim-embed:8000',
      ADMIN_EMAIL: 'not-an-email',
      SLACK_BOT_TOKEN: 'xoxp-123',
      PARSE_MEMORY_MB: '64',
      INGEST_STAGE_TIMEOUT_MS: 'soon',
    });
    for (const name of [
      'PORT',
      'DATABASE_URL',
      'EMBEDDINGS_BASE_URL',
      'ADMIN_EMAIL',
      'SLACK_BOT_TOKEN',
      'PARSE_MEMORY_MB',
      'INGEST_STAGE_TIMEOUT_MS',
    ]) {
      assert.ok(
        problems.some((problem) => problem.startsWith(`${name}:`)),
        `${name} in ${problems.join(' / ')}`,
      );
    }
    assert.ok(problems.some((problem) => /EMBEDDINGS_BASE_URL: .*\/v1/.test(problem)));
    assert.ok(problems.includes('PARSE_MEMORY_MB: must be at least 128 (a parser thread needs that much to start)'));
  });

  it('rejects a short bootstrap password and API key', () => {
    const problems = problemsOf({ ADMIN_PASSWORD: 'short', ADMIN_API_KEY: 'short' });
    assert.equal(problems.length, 2);
  });

  it('needs a signing secret for the Slack Events API, and none in Socket Mode', () => {
    assert.deepEqual(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1' }), [
      'SLACK_SIGNING_SECRET: is required with SLACK_BOT_TOKEN unless SLACK_APP_TOKEN selects Socket Mode',
    ]);
    assert.equal(parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack.appToken, 'xapp-1');
    assert.equal(parseConfig({ PUBLIC_URL: 'https://tapeout.example.com/' }).publicUrl, 'https://tapeout.example.com');
    assert.equal(parseConfig({ PORT: '3100' }).publicUrl, 'http://localhost:3100');
  });
});
