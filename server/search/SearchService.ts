import type { AssistantService } from '../assistants/AssistantService.ts';
import type { Principal } from '../auth/Principal.ts';
import type { CollectionService } from '../collections/CollectionService.ts';
import { linkToLines } from '../corpus/documentOrigin.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { HybridRetriever, RetrievedPassage } from '../retrieval/HybridRetriever.ts';
import { combineFilters } from '../retrieval/retrievalFilter.ts';
import { admitAnswer, type AnswerAdmissionDeps } from '../limits/admitAnswer.ts';

export interface SearchRequest {
  query: string;
  /** Search as this assistant does (its collections and filter); exclusive with `collection`. */
  assistant?: string;
  /** Search one collection, by slug; neither: every collection the caller may read. */
  collection?: string;
  limit?: number;
  signal?: AbortSignal;
}

export interface FoundPassage {
  /** The chunk's id: the source viewer's address. */
  id: string;
  documentId: string;
  title: string;
  text: string;
  headingPath: string[];
  page: number | null;
  lines: { start: number; end: number } | null;
  /** The file's path in its source, or its filename for an upload. */
  path: string | null;
  /** Where it lives in its source (a web page, a Confluence page, a file at these lines), when it has one. */
  url: string | null;
  /** Tapeout's source viewer showing the passage in context, under the reader's own grants. */
  citation: string;
  relevance: number;
}

export const searchLimits = { query: 2000, defaultPassages: 8, maxPassages: 20 } as const;

/**
 * Passages for a query, without an answer: what an IDE agent or a script asks for (the MCP
 * `search` tool, POST /api/search). The same retrieval as a chat turn, so the same grants:
 * collections the caller may not read are never searched, and an assistant searched through
 * covers only those of its collections the caller may read. Searches count against the
 * caller's chat quota.
 */
export class SearchService {
  constructor(
    private readonly deps: AnswerAdmissionDeps & {
      assistants: AssistantService;
      collections: CollectionService;
      retriever: HybridRetriever;
      publicUrl: string;
    },
  ) {}

  async search(principal: Principal, request: SearchRequest): Promise<FoundPassage[]> {
    const query = request.query.trim();
    if (!query) throw new ValidationError('query must not be empty.');
    if (query.length > searchLimits.query)
      throw new ValidationError(`query may be at most ${searchLimits.query} characters; this one has ${query.length}.`);
    const limit = request.limit ?? searchLimits.defaultPassages;
    if (!Number.isInteger(limit) || limit < 1 || limit > searchLimits.maxPassages)
      throw new ValidationError(`limit must be a whole number from 1 to ${searchLimits.maxPassages}.`);
    const scope = await this.scope(principal, request);
    // A search costs what a question's retrieval costs: it goes through the same door (quota, drain).
    const admitted = await admitAnswer(this.deps, { principal });
    try {
      const signal = request.signal ? AbortSignal.any([request.signal, admitted.signal]) : admitted.signal;
      const passages = await this.deps.retriever.retrieve(principal, query, { ...scope, topK: limit, signal });
      return passages.map((passage) => this.found(passage));
    } finally {
      await admitted.end();
    }
  }

  private async scope(principal: Principal, request: SearchRequest) {
    if (request.assistant && request.collection) throw new ValidationError('Give assistant or collection, not both.');
    if (request.assistant) {
      // Every assistant is listed to every user (AssistantService.list); it searches only what the caller may read.
      const assistant = await this.deps.assistants.findForAnswering(request.assistant);
      if (!assistant) throw new NotFoundError(`Assistant "${request.assistant}"`);
      return {
        collectionIds: assistant.collectionIds,
        candidates: assistant.retrieval.candidates,
        scoreThreshold: assistant.retrieval.scoreThreshold,
        filter: combineFilters(assistant.retrieval.filter),
      };
    }
    if (request.collection) {
      const collection = await this.deps.collections.findBySlug(request.collection);
      const readable = collection && (await this.deps.collections.list(principal, collection.id)).length > 0;
      // Not readable reads as not found: nobody learns which collections exist.
      if (!collection || !readable) throw new NotFoundError(`Collection "${request.collection}"`);
      return { collectionIds: [collection.id] };
    }
    return { collectionIds: undefined };
  }

  private found(passage: RetrievedPassage): FoundPassage {
    return {
      id: passage.id,
      documentId: passage.documentId,
      title: passage.title,
      text: passage.text,
      headingPath: passage.headingPath,
      page: passage.page,
      lines: passage.lines,
      path: passage.origin?.path ?? passage.filename,
      url: passage.origin?.link ? linkToLines(passage.origin.link, passage.lines) : null,
      citation: `${this.deps.publicUrl}/sources/${passage.id}`,
      relevance: passage.relevance,
    };
  }
}
