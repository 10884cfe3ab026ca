import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { notices } from '../../../server/answering/generateAnswer.ts';
import type { NimEmulator } from '../../../server/inference/nimEmulator/NimEmulator.ts';
import { startEmulator } from '../../support/emulator.ts';
import { startTestRuntime, waitFor, type TestRuntime } from '../../support/testRuntime.ts';

type Extended = OpenAI.ChatCompletion & {
  citations: { index: number; title: string; filename: string; snippet: string }[];
  answer_mode: string;
  notice?: string;
};
const question = { role: 'user' as const, content: 'What is the divided-clock enable of the peripheral block called?' };

async function demoReady(runtime: TestRuntime) {
  await waitFor(async () => {
    const { rows } = await runtime.services.db.query<{ pending: string }>(
      `SELECT count(*) FILTER (WHERE status <> 'ready') AS pending FROM documents`,
    );
    return rows[0]!.pending === '0' ? true : undefined;
  }, 'demo documents');
}

describe('OpenAI-compatible API, embedded (no LLM configured)', () => {
  let runtime: TestRuntime;
  let client: OpenAI;
  before(async () => {
    runtime = await startTestRuntime();
    client = new OpenAI({ baseURL: `${runtime.url}/v1`, apiKey: runtime.apiKey, maxRetries: 0 });
    await demoReady(runtime);
  });
  after(() => runtime?.dispose());

  it('lists the assistants as models', async () => {
    const models = await client.models.list();
    assert.deepEqual(models.data.map((m) => m.id).sort(), ['chip-design-helper', 'hr-policy', 'it-helpdesk']);
  });

  it('answers extractively, labelled, with citations', async () => {
    const completion = (await client.chat.completions.create({ model: 'chip-design-helper', messages: [question] })) as Extended;
    assert.equal(completion.answer_mode, 'extractive');
    assert.equal(completion.notice, notices.noLlm);
    assert.match(completion.choices[0]!.message.content!, /clk_div_en.*\[\d+\]/);
    assert.ok(completion.citations.some((c) => c.title === 'RTL Coding Guidelines' && c.filename === 'rtl-coding-guidelines.md'));
  });

  it("refuses a bad key with 401 and an unknown model with 404, in OpenAI's error shape", async () => {
    const stranger = new OpenAI({ baseURL: `${runtime.url}/v1`, apiKey: 'tap_wrong', maxRetries: 0 });
    await assert.rejects(
      stranger.models.list(),
      (error: InstanceType<typeof OpenAI.APIError>) => error.status === 401 && error.type === 'authentication_error',
    );
    await assert.rejects(
      client.chat.completions.create({ model: 'no-such-assistant', messages: [question] }),
      (error: InstanceType<typeof OpenAI.APIError>) => error.status === 404 && /no-such-assistant/.test(error.message),
    );
  });

  it('rejects a conversation that does not end with a user message', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: 'chip-design-helper', messages: [{ role: 'assistant', content: 'hi' }] }),
      (error: InstanceType<typeof OpenAI.APIError>) => error.status === 400,
    );
  });
});

describe('OpenAI-compatible API with NIM services (the emulator)', () => {
  let emulator: NimEmulator;
  let runtime: TestRuntime;
  let client: OpenAI;

  before(async () => {
    let url: string;
    ({ emulator, url } = await startEmulator({ tokensPerSecond: 2000 }));
    runtime = await startTestRuntime({
      LLM_BASE_URL: url,
      LLM_MODEL: 'meta/llama-3.1-8b-instruct',
      EMBEDDINGS_BASE_URL: url,
      EMBEDDINGS_MODEL: 'nvidia/llama-3.2-nv-embedqa-1b-v2',
      RERANKER_BASE_URL: url,
      RERANKER_MODEL: 'nvidia/llama-3.2-nv-rerankqa-1b-v2',
      LLM_FIRST_TOKEN_TIMEOUT_MS: '1000',
    });
    client = new OpenAI({ baseURL: `${runtime.url}/v1`, apiKey: runtime.apiKey, maxRetries: 0 });
    await demoReady(runtime);
  });
  after(async () => {
    await runtime?.dispose();
    await emulator?.close();
  });

  it('shows the three services as remote and healthy', async () => {
    const readiness = await (await fetch(`${runtime.url}/readyz`, { headers: { authorization: `Bearer ${runtime.apiKey}` } })).json();
    for (const name of ['llm', 'embeddings', 'reranker']) {
      assert.match(readiness.components[name].mode, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      assert.equal(readiness.components[name].ok, true);
    }
  });

  it('answers through the LLM, streamed, with citations in the final chunk', async () => {
    const stream = await client.chat.completions.create({ model: 'chip-design-helper', messages: [question], stream: true });
    let text = '';
    let last: Record<string, unknown> = {};
    let mode: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      mode ??= (chunk as unknown as { answer_mode?: string }).answer_mode;
      last = chunk as unknown as Record<string, unknown>;
    }
    assert.equal(mode, 'llm');
    assert.match(text, /^\[emulated\] .*clk_div_en/);
    assert.ok(Array.isArray(last.citations) && (last.citations as unknown[]).length > 0);
  });

  it('when the LLM dies: /readyz turns it not ok, the server stays healthy, questions get sources and a notice', async () => {
    await emulator.close();
    const readiness = await (await fetch(`${runtime.url}/readyz`, { headers: { authorization: `Bearer ${runtime.apiKey}` } })).json();
    assert.equal(readiness.components.llm.ok, false);
    assert.equal(readiness.status, 'degraded');
    assert.equal((await fetch(`${runtime.url}/healthz`)).status, 200);

    const completion = (await client.chat.completions.create({ model: 'chip-design-helper', messages: [question] })) as Extended;
    assert.equal(completion.answer_mode, 'extractive');
    assert.equal(completion.notice, notices.llmDown);
    assert.match(completion.choices[0]!.message.content!, /clk_div_en/);
    assert.ok(completion.citations.length > 0);
  });
});
