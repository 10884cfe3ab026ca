import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Document } from '@langchain/core/documents';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { NimEmbedder } from '../../../../server/inference/embeddings/NimEmbedder.ts';
import { createLangChainChatModel } from '../../../../server/inference/langchain/createChatModel.ts';
import { EmbedderEmbeddings } from '../../../../server/inference/langchain/EmbedderEmbeddings.ts';
import { RerankerCompressor } from '../../../../server/inference/langchain/RerankerCompressor.ts';
import { NimReranker } from '../../../../server/inference/reranking/NimReranker.ts';
import type { NimEmulator } from '../../../../server/inference/nimEmulator/NimEmulator.ts';
import { deadUrl, serviceClient, startEmulator } from '../../../support/emulator.ts';

const llmOptions = { extraBody: {}, extraBodyFormat: 'top-level' as const, firstTokenTimeoutMs: 5_000, timeoutMs: 10_000, maxTokens: 2048 };

describe('LangChain JS integration against the NIM emulator', () => {
  let emulator: NimEmulator;
  let url: string;

  before(async () => ({ emulator, url } = await startEmulator()));
  after(() => emulator.close());

  const chatModel = (urls = [url]) =>
    createLangChainChatModel(serviceClient('llm', urls, 'meta/llama-3.1-8b-instruct'), llmOptions, { temperature: 0 });
  const prompt = ChatPromptTemplate.fromMessages([
    ['system', 'Answer from the context.\n{context}'],
    ['human', '{question}'],
  ]);
  const input = {
    context: '[1] The reset synchronizer rst_sync de-asserts reset synchronously.',
    question: 'How does rst_sync de-assert reset?',
  };

  it('runs a prompt | ChatOpenAI | parser chain', async () => {
    const answer = await prompt.pipe(chatModel()).pipe(new StringOutputParser()).invoke(input);
    assert.match(answer, /^\[emulated\] .*rst_sync.*\[1\]/);
  });

  it('streams through the chain', async () => {
    const parts: string[] = [];
    for await (const part of await prompt.pipe(chatModel()).pipe(new StringOutputParser()).stream(input)) parts.push(part);
    assert.ok(parts.length > 3);
    assert.match(parts.join(''), /rst_sync/);
  });

  it("routes the chain's requests over replicas, past a dead one", async () => {
    const before = emulator.stats.requests.chat;
    const model = chatModel([deadUrl, url]);
    for (let i = 0; i < 3; i++) await prompt.pipe(model).pipe(new StringOutputParser()).invoke(input);
    assert.equal(emulator.stats.requests.chat - before, 3);
  });

  it('embeds documents and queries with input_type through Embeddings', async () => {
    const embedder = new NimEmbedder(serviceClient('embeddings', [url], 'nvidia/llama-3.2-nv-embedqa-1b-v2'), {
      dimensions: undefined,
      batchSize: 16,
    });
    const embeddings = new EmbedderEmbeddings(embedder);
    const documents = await embeddings.embedDocuments(['scan chains', 'retention flops']);
    assert.equal(documents.length, 2);
    assert.equal((await embeddings.embedQuery('scan')).length, 1024);
  });

  it('reranks documents as a document compressor', async () => {
    const compressor = new RerankerCompressor(new NimReranker(serviceClient('reranker', [url], 'nvidia/llama-3.2-nv-rerankqa-1b-v2')), 2);
    const documents = ['power grid IR drop', 'retention flops save state', 'state retention in PD_CORE'].map(
      (pageContent, i) => new Document({ pageContent, metadata: { id: i } }),
    );
    const kept = await compressor.compressDocuments(documents, 'state retention');
    assert.equal(kept.length, 2);
    assert.deepEqual(kept.map((doc) => doc.metadata.id).sort(), [1, 2]);
    assert.ok(kept.every((doc) => doc.metadata.relevanceScore > 0.5));
  });
});
