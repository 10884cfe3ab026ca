import type { ChunkLines } from '../corpus/Chunk.ts';
import { linkToLines, type DocumentOrigin } from '../corpus/documentOrigin.ts';
import type { AssistantForAnswering, AssistantService } from '../assistants/AssistantService.ts';
import type { Principal } from '../auth/Principal.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { ChatMessage, ChatModel, ChatUsage, GenerationOptions } from '../inference/llm/ChatModel.ts';
import type { Logger } from '../logging/logger.ts';
import type { HybridRetriever, RetrievedPassage } from '../retrieval/HybridRetriever.ts';
import { combineFilters, type RetrievalFilter } from '../retrieval/retrievalFilter.ts';
import { buildPrompt } from './buildPrompt.ts';
import { packPassages } from './packPassages.ts';
import { standaloneQuestion } from './standaloneQuestion.ts';
import { generateAnswer, type AnswerEvent, type AnswerMode } from './generateAnswer.ts';
import { answerDuration, secondsSince } from '../observability/metrics.ts';

export interface Citation {
  index: number;
  /** The cited chunk (the best-ranked one when neighbours were merged), for the source viewer. */
  chunkId: string;
  documentId: string;
  collectionId: string;
  title: string;
  filename: string | null;
  page: number | null;
  headingPath: string[];
  /** The lines of its file the passage holds (code from a source), when known. */
  lines: ChunkLines | null;
  /** Where it lives in its source, with a link to open it there at these lines; null for uploads. */
  origin: CitedOrigin | null;
  snippet: string;
}

export interface CitedOrigin {
  source: string;
  kind: DocumentOrigin['kind'];
  location: string;
  path: string | null;
  commit: string | null;
  link: string | null;
}

export interface PreparedAnswer {
  citations: Citation[];
  events: AsyncGenerator<AnswerEvent>;
}

export interface NothingFound {
  notice: string;
  text: string;
}

export const nothingFound: NothingFound = {
  notice: 'No passage that you can access matches this question.',
  text: 'I found nothing about this in the documents you can access.',
};

/** Answers a question as an assistant: retrieval under the asker's grants, prompt, answer. */
export class AssistantAnswerer {
  constructor(
    private readonly assistants: AssistantService,
    private readonly retriever: HybridRetriever,
    private readonly chatModel: ChatModel | undefined,
    private readonly logger: Logger,
  ) {}

  async prepare(
    principal: Principal,
    input: {
      /** The assistant's slug, or the assistant itself when the caller has loaded it already (a chat turn). */
      assistant: string | AssistantForAnswering;
      messages: ChatMessage[];
      /** Overrides the assistant's own settings (its temperature) for this answer. */
      generation?: GenerationOptions;
      filter?: RetrievalFilter;
      /** The answer when nothing readable matches; by default it speaks to the asker. */
      nothingFound?: NothingFound;
      signal?: AbortSignal;
    },
  ): Promise<PreparedAnswer> {
    const startedAt = performance.now();
    const prepared = await this.prepareAnswer(principal, input);
    return { ...prepared, events: timed(prepared.events, startedAt) };
  }

  private async prepareAnswer(principal: Principal, input: Parameters<AssistantAnswerer['prepare']>[1]): Promise<PreparedAnswer> {
    const assistant = typeof input.assistant === 'string' ? await this.assistants.findForAnswering(input.assistant) : input.assistant;
    if (!assistant) throw new NotFoundError(`Assistant "${String(input.assistant)}"`);
    const last = input.messages.at(-1);
    if (!last || last.role !== 'user' || !last.content.trim())
      throw new ValidationError('The last message must be a non-empty user message.');
    const { query, usage: rewriteUsage } = await standaloneQuestion(input.messages, this.chatModel, this.logger, input.signal);
    const retrieved = await this.retriever.retrieve(principal, query, {
      collectionIds: assistant.collectionIds,
      candidates: assistant.retrieval.candidates,
      topK: assistant.retrieval.topK,
      scoreThreshold: assistant.retrieval.scoreThreshold,
      filter: combineFilters(assistant.retrieval.filter, input.filter),
      signal: input.signal,
    });
    const passages = packPassages(retrieved);
    const citations = passages.map(toCitation);
    if (passages.length === 0) return { citations, events: nothingToAnswer(input.nothingFound ?? nothingFound) };
    return {
      citations,
      events: withRewriteUsage(
        generateAnswer({
          chatModel: this.chatModel,
          messages: buildPrompt(assistant.systemPrompt, passages, input.messages.slice(0, -1), last.content),
          question: last.content,
          sources: passages.map((passage, i) => ({ number: i + 1, text: passage.text })),
          generation: { ...input.generation, temperature: input.generation?.temperature ?? assistant.temperature ?? undefined },
          signal: input.signal,
          logger: this.logger,
        }),
        rewriteUsage,
      ),
    };
  }
}

function toCitation(passage: RetrievedPassage, i: number): Citation {
  return {
    index: i + 1,
    chunkId: passage.id,
    documentId: passage.documentId,
    collectionId: passage.collectionId,
    title: passage.title,
    filename: passage.filename,
    page: passage.page,
    headingPath: passage.headingPath,
    lines: passage.lines,
    origin: passage.origin && citedOrigin(passage.origin, passage.lines),
    snippet: passage.text.length > 240 ? `${passage.text.slice(0, 240)}…` : passage.text,
  };
}

function citedOrigin(origin: DocumentOrigin, lines: ChunkLines | null): CitedOrigin {
  return {
    source: origin.sourceName,
    kind: origin.kind,
    location: origin.location,
    path: origin.path ?? null,
    commit: origin.commit ?? null,
    link: origin.link ? linkToLines(origin.link, lines) : null,
  };
}

/** Observes how long the answer took, from the question to its end, by how it was produced. */
async function* timed(events: AsyncGenerator<AnswerEvent>, startedAt: number): AsyncGenerator<AnswerEvent> {
  let mode: AnswerMode | undefined;
  for await (const event of events) {
    if (event.type === 'mode') mode = event.mode;
    if ((event.type === 'done' || event.type === 'interrupted') && mode) answerDuration.observe({ mode }, secondsSince(startedAt));
    yield event;
  }
}

/** The LLM's tokens for rewriting a follow-up are part of what the answer cost. */
async function* withRewriteUsage(events: AsyncGenerator<AnswerEvent>, rewrite: ChatUsage | undefined): AsyncGenerator<AnswerEvent> {
  for await (const event of events) {
    if (event.type === 'done' && event.usage && rewrite)
      yield {
        ...event,
        usage: {
          promptTokens: event.usage.promptTokens + rewrite.promptTokens,
          completionTokens: event.usage.completionTokens + rewrite.completionTokens,
        },
      };
    else yield event;
  }
}

async function* nothingToAnswer(nothing: NothingFound): AsyncGenerator<AnswerEvent> {
  yield { type: 'mode', mode: 'extractive', notice: nothing.notice };
  yield { type: 'token', text: nothing.text };
  yield { type: 'done', finishReason: 'stop' };
}
