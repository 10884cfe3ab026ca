import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { NimEmulator } from '../../../server/inference/nimEmulator/NimEmulator.ts';
import { startTracing, type Tracing } from '../../../server/observability/startTracing.ts';
import { startEmulator } from '../../support/emulator.ts';
import { readEvents } from '../../support/sse.ts';
import { createOpenCollection, startTestRuntime, uploadAndWait, waitFor, type TestRuntime } from '../../support/testRuntime.ts';
import { systemActor } from '../../../server/access/systemActor.ts';

/** The spans of one trace as `name` lines indented under their parents, children in start order. */
function tree(spans: ReadableSpan[], root: ReadableSpan): string[] {
  const children = spans
    .filter((span) => span.parentSpanContext?.spanId === root.spanContext().spanId)
    .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
  return [root.name, ...children.flatMap((child) => tree(spans, child).map((line) => `  ${line}`))];
}

describe('OpenTelemetry traces', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let emulator: NimEmulator;
  let runtime: TestRuntime;

  before(async () => {
    tracing = await startTracing({ serviceName: 'tapeout-spec', exporter, immediate: true });
    let url: string;
    ({ emulator, url } = await startEmulator({ tokensPerSecond: 2000 }));
    runtime = await startTestRuntime({
      SEED_DEMO: 'false',
      LLM_BASE_URL: url,
      LLM_MODEL: 'meta/llama-3.1-8b-instruct',
      RERANKER_BASE_URL: url,
      RERANKER_MODEL: 'nvidia/llama-3.2-nv-rerankqa-1b-v2',
    });
    await runtime.services.assistants.create(systemActor, {
      slug: 'launch',
      name: 'Launch',
      systemPrompt: 'Answer from the sources.',
      collectionIds: [await createOpenCollection(runtime, 'handbook')],
    });
  });
  after(async () => {
    await runtime?.dispose();
    await emulator?.close();
    await tracing?.shutdown();
  });

  it('shows an ingestion as parse, chunk, embed and store under the job', async () => {
    exporter.reset();
    await uploadAndWait(
      runtime,
      'handbook',
      'launch.md',
      '# Launch\n\nThe launch review happens every Friday with the whole team and the program manager.\n',
    );
    // The job's span ends once its handler returns, just after the job shows completed.
    const job = await waitFor(
      async () => exporter.getFinishedSpans().find((span) => span.name === 'ingestion.document'),
      'the ingestion span',
      5_000,
    );
    const spans = exporter.getFinishedSpans();
    assert.deepEqual(tree(spans, job), [
      'ingestion.document',
      '  ingestion.parse',
      '  ingestion.chunk',
      '  ingestion.embed',
      '  ingestion.store',
    ]);
    assert.equal(job.resource.attributes['service.name'], 'tapeout-spec');
  });

  it('shows a question as retrieval (each search, rerank), the LLM (first token, total) and storage under one turn', async () => {
    exporter.reset();
    const headers = { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' };
    const created = await fetch(`${runtime.url}/api/conversations`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ assistant: 'launch' }),
    });
    const { conversation } = (await created.json()) as { conversation: { id: string } };
    const asked = await fetch(`${runtime.url}/api/conversations/${conversation.id}/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ content: 'When is the launch review?' }),
    });
    const done = (await readEvents(asked)).find((event) => event.event === 'done');
    assert.equal(done?.data.status, 'complete');

    const spans = exporter.getFinishedSpans();
    const turn = spans.find((span) => span.name === 'chat.turn');
    assert.ok(turn, 'a chat.turn span');
    const lines = tree(spans, turn);
    assert.deepEqual(
      lines.filter((line) => !line.includes('search')),
      [
        'chat.turn',
        '  conversation.store_question',
        '  retrieval',
        '    retrieval.rerank',
        '    retrieval.read_documents',
        '  llm.generate',
        '    llm.first_token',
        '  conversation.store_answer',
      ],
    );
    // Each search is a span of its own under retrieval, whichever finishes first.
    assert.deepEqual(lines.filter((line) => line.includes('search')).sort(), [
      '    retrieval.full_text_search',
      '    retrieval.vector_search',
    ]);
    const llm = spans.find((span) => span.name === 'llm.generate')!;
    assert.equal(llm.attributes['gen_ai.request.model'], 'meta/llama-3.1-8b-instruct');
    assert.equal(
      new Set(spans.filter((span) => lines.some((line) => line.trim() === span.name)).map((span) => span.spanContext().traceId)).size,
      1,
    );
  });
});
