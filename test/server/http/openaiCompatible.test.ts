import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ChatOpenAI } from '@langchain/openai';
import OpenAI from 'openai';
import { countTokens } from '../../../server/language/countTokens.ts';
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

  it('counts usage for an extractive answer: the request and the answer, in cl100k tokens', async () => {
    const completion = await client.chat.completions.create({ model: 'chip-design-helper', messages: [question] });
    const { usage } = completion;
    assert.ok(usage, 'usage is present');
    assert.equal(usage.prompt_tokens, countTokens(question.content));
    assert.equal(usage.completion_tokens, countTokens(completion.choices[0]!.message.content!));
    assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
  });

  it('honours max_completion_tokens (and max_tokens) for a quoted answer too, finishing with "length"', async () => {
    for (const limit of [{ max_completion_tokens: 8 }, { max_tokens: 8 }]) {
      const completion = await client.chat.completions.create({ model: 'chip-design-helper', messages: [question], ...limit });
      assert.equal(completion.choices[0]!.finish_reason, 'length', JSON.stringify(limit));
      assert.ok(completion.usage!.completion_tokens <= 8, `${completion.usage!.completion_tokens} tokens for ${JSON.stringify(limit)}`);
    }
    await assert.rejects(
      client.chat.completions.create({ model: 'chip-design-helper', messages: [question], max_completion_tokens: 1_000_000 }),
      (error: InstanceType<typeof OpenAI.APIError>) =>
        error.status === 400 && /max_completion_tokens may be at most 2048/.test(error.message),
    );
    await assert.rejects(
      client.chat.completions.create({ model: 'chip-design-helper', messages: [question], max_tokens: 8, max_completion_tokens: 9 }),
      (error: InstanceType<typeof OpenAI.APIError>) => error.status === 400 && error.param === 'max_completion_tokens',
    );
  });

  it('takes content as a list of text parts and the developer role, as current SDKs send them', async () => {
    const completion = (await client.chat.completions.create({
      model: 'chip-design-helper',
      messages: [
        { role: 'developer', content: 'Answer briefly.' },
        { role: 'user', content: [{ type: 'text', text: question.content }] },
      ],
    })) as Extended;
    assert.match(completion.choices[0]!.message.content!, /clk_div_en/);
  });

  it('refuses, with a 400 naming the parameter, what it cannot honour', async () => {
    const refused: [string, Record<string, unknown>][] = [
      [
        'messages[0].content[1]',
        {
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: 'What is this?' },
                { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
              ],
            },
          ],
        },
      ],
      ['n', { n: 2 }],
      ['logprobs', { logprobs: true }],
      ['response_format', { response_format: { type: 'json_object' } }],
      ['response_format', { response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } } }],
      ['tools', { tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } }] }],
      ['messages[1].role', { messages: [question, { role: 'tool', tool_call_id: 'call_1', content: '42' }] }],
      ['logit_bias', { logit_bias: { '50256': -100 } }],
      ['stream_options', { stream_options: { include_usage: true } }],
    ];
    for (const [param, extra] of refused) {
      await assert.rejects(
        client.chat.completions.create({ model: 'chip-design-helper', messages: [question], ...extra } as never),
        (error: InstanceType<typeof OpenAI.APIError>) =>
          error.status === 400 && error.type === 'invalid_request_error' && error.param === param && error.message.length > 10,
        param,
      );
    }
    // What asks for nothing this server cannot do is accepted.
    const plain = await client.chat.completions.create({
      model: 'chip-design-helper',
      messages: [question],
      n: 1,
      logprobs: false,
      response_format: { type: 'text' },
      user: 'ana@example.com',
    });
    assert.equal(plain.choices.length, 1);
  });

  it("answers every /v1 path in OpenAI's error shape: a model by id, unknown paths, malformed JSON", async () => {
    assert.equal((await client.models.retrieve('chip-design-helper')).id, 'chip-design-helper');
    await assert.rejects(
      client.models.retrieve('no-such-assistant'),
      (error: InstanceType<typeof OpenAI.APIError>) => error.status === 404,
    );
    for (const [method, path] of [
      ['POST', '/v1/embeddings'],
      ['POST', '/v1/completions'],
      ['POST', '/v1/responses'],
      ['GET', '/v1/files'],
    ] as const) {
      const response = await fetch(`${runtime.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' },
        body: method === 'POST' ? '{}' : undefined,
      });
      assert.equal(response.status, 404, path);
      assert.match(response.headers.get('content-type') ?? '', /application\/json/);
      const body = (await response.json()) as { error: { message: string; type: string } };
      assert.equal(body.error.type, 'invalid_request_error');
      assert.match(body.error.message, new RegExp(path.replaceAll('/', '\\/')));
    }
    const malformed = await fetch(`${runtime.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' },
      body: '{"model": "chip-design-helper", "messages": [',
    });
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as { error: { type: string } }).error.type, 'invalid_request_error');
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

  it("reports the LLM's usage, and streams it in a last chunk when stream_options.include_usage is set", async () => {
    const completion = await client.chat.completions.create({ model: 'chip-design-helper', messages: [question] });
    assert.ok(completion.usage!.prompt_tokens > countTokens(question.content), 'the prompt holds the passages too');
    assert.equal(completion.usage!.total_tokens, completion.usage!.prompt_tokens + completion.usage!.completion_tokens);

    const stream = await client.chat.completions.create({
      model: 'chip-design-helper',
      messages: [question],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1)!;
    assert.deepEqual(last.choices, []);
    assert.ok(last.usage && last.usage.completion_tokens > 0);
    assert.ok(chunks.slice(0, -1).every((chunk) => chunk.usage === null));
  });

  it('caps a LangChain ChatOpenAI(maxTokens: 16) answer at 16 tokens, with usage metadata', async () => {
    const model = new ChatOpenAI({
      model: 'chip-design-helper',
      apiKey: runtime.apiKey,
      configuration: { baseURL: `${runtime.url}/v1` },
      maxTokens: 16,
      maxRetries: 0,
    });
    const answer = await model.invoke(question.content);
    assert.equal(answer.response_metadata.finish_reason, 'length');
    assert.ok(answer.usage_metadata && answer.usage_metadata.output_tokens <= 16, JSON.stringify(answer.usage_metadata));
    let streamed = '';
    let usage: unknown;
    for await (const chunk of await model.stream(question.content)) {
      streamed += String(chunk.content);
      usage ??= chunk.usage_metadata;
    }
    assert.ok(streamed.length > 0);
    assert.ok(usage, 'the streamed usage chunk reached LangChain');
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
