import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateAnswer, notices, type AnswerEvent } from '../../../server/answering/generateAnswer.ts';
import { OpenAICompatibleChatModel } from '../../../server/inference/llm/OpenAICompatibleChatModel.ts';
import type { NimEmulator } from '../../../server/inference/nimEmulator/NimEmulator.ts';
import { serviceClient, startEmulator } from '../../support/emulator.ts';
import { silentLogger } from '../../support/testDatabase.ts';

const sources = [{ number: 1, text: 'Retention flops keep the state of PD_CORE on the VDD_AON supply during power-down.' }];
const question = 'Where do retention flops keep the state?';
const messages = [
  { role: 'system' as const, content: `Sources:\n[1] ${sources[0]!.text}` },
  { role: 'user' as const, content: question },
];

async function run(chatModel: OpenAICompatibleChatModel | undefined) {
  const events: AnswerEvent[] = [];
  for await (const event of generateAnswer({ chatModel, messages, question, sources, logger: silentLogger })) events.push(event);
  const text = events.flatMap((event) => (event.type === 'token' ? [event.text] : [])).join('');
  return { events, text, first: events[0]! };
}

describe('generateAnswer', () => {
  let emulator: NimEmulator;
  let url: string;
  const chatModel = (target: string) =>
    new OpenAICompatibleChatModel(serviceClient('llm', [target], 'meta/llama-3.1-8b-instruct', { maxAttempts: 2 }), {
      extraBody: {},
      extraBodyFormat: 'top-level',
      firstTokenTimeoutMs: 1_000,
      timeoutMs: 5_000,
      maxTokens: 2048,
    });

  before(async () => ({ emulator, url } = await startEmulator({ tokensPerSecond: 1000 })));
  after(() => emulator.close());

  it("streams the LLM's answer, labelled llm", async () => {
    const { first, text, events } = await run(chatModel(url));
    assert.deepEqual(first, { type: 'mode', mode: 'llm' });
    assert.match(text, /VDD_AON/);
    assert.equal(events.at(-1)!.type, 'done');
  });

  it('answers extractively, labelled, when no LLM is configured', async () => {
    const { first, text } = await run(undefined);
    assert.deepEqual(first, { type: 'mode', mode: 'extractive', notice: notices.noLlm });
    assert.match(text, /VDD_AON supply during power-down\. \[1\]/);
  });

  it('still answers from the sources with a plain notice when the LLM is down', async () => {
    const down = await startEmulator();
    await down.emulator.close();
    const { first, text, events } = await run(chatModel(down.url));
    assert.deepEqual(first, { type: 'mode', mode: 'extractive', notice: notices.llmDown });
    assert.match(text, /\[1\]/);
    assert.equal(events.at(-1)!.type, 'done');
  });

  it('keeps the partial answer and says so when the LLM stops mid-answer', async () => {
    emulator.injectFaults([{ kind: 'cut-stream', endpoint: 'chat', afterTokens: 3, times: 1 }]);
    const { events, text } = await run(chatModel(url));
    assert.equal(events[0]!.type === 'mode' && events[0]!.mode, 'llm');
    assert.ok(text.length > 0);
    assert.deepEqual(events.at(-1), { type: 'interrupted', notice: notices.interrupted });
  });
});
