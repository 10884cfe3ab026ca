import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { standaloneQuestion } from '../../../server/answering/standaloneQuestion.ts';
import type { ChatMessage } from '../../../server/inference/llm/ChatModel.ts';
import { OpenAICompatibleChatModel } from '../../../server/inference/llm/OpenAICompatibleChatModel.ts';
import type { NimEmulator } from '../../../server/inference/nimEmulator/NimEmulator.ts';
import { deadUrl, serviceClient, startEmulator } from '../../support/emulator.ts';
import { silentLogger } from '../../support/testDatabase.ts';

const llmOptions = { extraBody: {}, extraBodyFormat: 'top-level' as const, firstTokenTimeoutMs: 2000, timeoutMs: 5000, maxTokens: 2048 };
const chatModel = (url: string) => new OpenAICompatibleChatModel(serviceClient('llm', [url], 'meta/llama-3.1-8b-instruct'), llmOptions);
const turns = (...contents: string[]): ChatMessage[] => contents.map((content, i) => ({ role: i % 2 ? 'assistant' : 'user', content }));

describe('standaloneQuestion', () => {
  let emulator: NimEmulator;
  let url: string;
  before(async () => ({ emulator, url } = await startEmulator({ tokensPerSecond: 5000 })));
  after(() => emulator?.close());

  it('leaves a first question as it is, without asking the LLM', async () => {
    const before = emulator.stats.requests.chat;
    assert.deepEqual(await standaloneQuestion(turns('How is hold fixed?'), chatModel(url), silentLogger), { query: 'How is hold fixed?' });
    assert.equal(emulator.stats.requests.chat, before);
  });

  it('without an LLM, searches a dependent follow-up together with the previous question', async () => {
    const history = turns('Which corner signs off hold?', 'The ff_0p88v_m40c corner [1].');
    assert.equal(
      (await standaloneQuestion([...history, { role: 'user', content: 'and setup?' }], undefined, silentLogger)).query,
      'Which corner signs off hold? and setup?',
    );
    const independent = 'Which flops need scan replacement in the DFT flow of the modem subsystem?';
    assert.equal(
      (await standaloneQuestion([...history, { role: 'user', content: independent }], undefined, silentLogger)).query,
      independent,
    );
  });

  it('asks the LLM for the standalone query when one is configured', async () => {
    const before = emulator.stats.requests.chat;
    const { query: rewritten, usage } = await standaloneQuestion(
      [...turns('Which corner signs off hold?', 'ff_0p88v_m40c [1].'), { role: 'user', content: 'and setup?' }],
      chatModel(url),
      silentLogger,
    );
    assert.equal(emulator.stats.requests.chat, before + 1);
    assert.ok(rewritten.length > 0 && rewritten !== 'and setup?');
    // The rewrite's tokens, as the LLM reported them, for the request's usage.
    assert.ok(usage && usage.promptTokens > 0 && usage.completionTokens > 0);
  });

  it('falls back to the heuristic when the LLM is unreachable', async () => {
    const history = turns('Which corner signs off hold?', 'ff_0p88v_m40c [1].');
    assert.equal(
      (await standaloneQuestion([...history, { role: 'user', content: 'and setup?' }], chatModel(deadUrl), silentLogger)).query,
      'Which corner signs off hold? and setup?',
    );
  });
});
