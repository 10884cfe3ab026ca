import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Config } from '../../../../server/config/index.ts';
import type { ChatRequest } from '../../../../server/inference/llm/ChatModel.ts';
import { OpenAICompatibleChatModel } from '../../../../server/inference/llm/OpenAICompatibleChatModel.ts';
import { InferenceError } from '../../../../server/inference/http/InferenceError.ts';
import type { NimEmulator } from '../../../../server/inference/nimEmulator/NimEmulator.ts';
import { serviceClient, startEmulator } from '../../../support/emulator.ts';

const model = 'meta/llama-3.1-8b-instruct';
const options: Config['llmOptions'] = {
  extraBody: {},
  extraBodyFormat: 'top-level',
  firstTokenTimeoutMs: 500,
  timeoutMs: 5_000,
  maxTokens: 2048,
};
const question: ChatRequest = {
  messages: [
    {
      role: 'system',
      content: 'Answer from the sources.\n[1] Level shifters are required between PD_CORE under DVFS and fixed-voltage domains.',
    },
    { role: 'user', content: 'Where are level shifters required?' },
  ],
  temperature: 0.1,
  topP: 0.9,
  maxTokens: 200,
  seed: 7,
};

async function collect(stream: AsyncIterable<{ type: string; text?: string }>) {
  let text = '';
  const events: string[] = [];
  for await (const event of stream) {
    events.push(event.type);
    if (event.type === 'token') text += event.text;
  }
  return { text, events };
}

describe('OpenAICompatibleChatModel against the NIM emulator', () => {
  let emulator: NimEmulator;
  let v1: NimEmulator;
  let url: string;
  let urlV1: string;
  const chat = (extra: Partial<Config['llmOptions']> = {}, target = url, clientOptions = {}) =>
    new OpenAICompatibleChatModel(serviceClient('llm', [target], model, clientOptions), { ...options, ...extra });

  before(async () => {
    ({ emulator, url } = await startEmulator({ tokensPerSecond: 1000 }));
    ({ emulator: v1, url: urlV1 } = await startEmulator({ nimVersion: 1 }));
  });
  after(async () => {
    await emulator.close();
    await v1.close();
  });

  it('completes with temperature, top_p, max_tokens, stop and seed', async () => {
    const result = await chat().complete({ ...question, stop: ['\n\n'] });
    assert.match(result.content, /^\[emulated\] Level shifters are required .* \[1\]$/);
    assert.equal(result.finishReason, 'stop');
    assert.ok(result.usage!.completionTokens > 3);
  });

  it('stops at max_tokens with finish reason length', async () => {
    const result = await chat().complete({ ...question, maxTokens: 3 });
    assert.equal(result.finishReason, 'length');
    assert.equal(result.content.trim().split(/\s+/).length, 3);
  });

  it('streams the same answer token by token, then done with usage', async () => {
    const whole = (await chat().complete(question)).content;
    const events = [];
    for await (const event of chat().stream(question)) events.push(event);
    const tokens = events.filter((event) => event.type === 'token');
    assert.ok(tokens.length > 5);
    assert.equal(tokens.map((event) => event.text).join(''), whole);
    const done = events.at(-1)!;
    assert.equal(done.type, 'done');
    assert.ok(done.type === 'done' && done.finishReason === 'stop' && done.usage!.completionTokens === tokens.length);
  });

  it('sends extra parameters at the top level for NIM 2.x, which rejects nvext', async () => {
    await chat({ extraBody: { repetition_penalty: 1.05 } }).complete(question);
    await assert.rejects(
      chat({ extraBody: { repetition_penalty: 1.05 }, extraBodyFormat: 'nvext' }).complete(question),
      (error: InferenceError) => error.status === 400 && /nvext is not supported/.test(error.message),
    );
  });

  it('sends extra parameters inside nvext for NIM 1.x', async () => {
    const result = await chat({ extraBody: { repetition_penalty: 1.05 }, extraBodyFormat: 'nvext' }, urlV1).complete(question);
    assert.match(result.content, /Level shifters/);
  });

  it("reports an unknown model with the server's message, without retrying", async () => {
    const before = emulator.stats.requests.chat;
    await assert.rejects(chat().complete({ ...question, model: 'no/such-model' }), /does not exist/);
    assert.equal(emulator.stats.requests.chat - before, 1);
  });

  it('retries a stream whose first token is too slow, on a fresh request', async () => {
    emulator.injectFaults([{ kind: 'slow-first-token', endpoint: 'chat', delayMs: 3_000, times: 1 }]);
    const started = Date.now();
    const { text } = await collect(chat().stream(question));
    assert.match(text, /Level shifters/);
    assert.ok(Date.now() - started < 2_500, `took ${Date.now() - started} ms`);
  });

  it('retries a stream that fails before the first token', async () => {
    emulator.injectFaults([{ kind: 'http-error', endpoint: 'chat', status: 503, shape: 'flat', times: 1 }]);
    const { text } = await collect(chat().stream(question));
    assert.match(text, /Level shifters/);
  });

  it('fails a stream cut after some tokens, without retrying (the user saw them)', async () => {
    emulator.injectFaults([{ kind: 'cut-stream', endpoint: 'chat', afterTokens: 3, times: 1 }]);
    const before = emulator.stats.requests.chat;
    let tokens = 0;
    await assert.rejects(
      (async () => {
        for await (const event of chat().stream(question)) if (event.type === 'token') tokens += 1;
      })(),
      (error: InferenceError) => error instanceof InferenceError,
    );
    assert.equal(tokens, 3);
    assert.equal(emulator.stats.requests.chat - before, 1);
  });

  it('fails a stream that ends cleanly but before [DONE] or a finish reason', async () => {
    emulator.injectFaults([{ kind: 'cut-stream', endpoint: 'chat', afterTokens: 2, graceful: true, times: 1 }]);
    await assert.rejects(collect(chat().stream(question)), /stream stopped before the answer was complete/);
  });

  it('aborts the upstream request when the caller cancels', async () => {
    const slow = await startEmulator({ tokensPerSecond: 20 });
    try {
      const controller = new AbortController();
      let tokens = 0;
      await assert.rejects(
        (async () => {
          for await (const event of chat({}, slow.url).stream({ ...question, signal: controller.signal })) {
            if (event.type === 'token' && ++tokens === 2) controller.abort(new Error('stopped by user'));
          }
        })(),
        /stopped by user/,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(slow.emulator.stats.abandonedStreams, 1);
    } finally {
      await slow.emulator.close();
    }
  });
});
