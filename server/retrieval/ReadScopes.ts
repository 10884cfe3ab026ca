import type { Principal } from '../auth/Principal.ts';
import type { Database } from '../db/Database.ts';
import { collectionScopes } from '../access/collectionScopes.ts';
import type { NormalisedFilter } from './retrievalFilter.ts';

/** The documents a filter leaves, and how many chunks they have. */
export interface FilteredDocuments {
  ids: string[];
  chunks: number;
}

/**
 * What a question's searches may read: the collections the principal may read (decided in SQL)
 * narrowed to those requested, and the documents a filter leaves. Issued only by scopeFor(), so
 * a retrieval resolves it once and hands it to each of its searches.
 */
export interface ReadScope {
  readonly collections: readonly CollectionInScope[];
  readonly filtered: FilteredDocuments | undefined;
  /** Restricted documents of these collections the principal is not among the readers of: never searched. */
  readonly withheld: readonly string[];
}

const issuedScopes = new WeakSet<object>();

export interface CollectionInScope {
  id: string;
  config: string;
  /** Its language, set or detected (null while unknown). */
  language: string | null;
  /** The model of the collection's current vectors. */
  model: string;
  /** Its chunks of that model (chunk_statistics), which size the approximate search. */
  chunks: number;
}

/** Resolves a question's ReadScope in SQL: the readable collections asked for, and the documents a filter leaves. */
export class ReadScopes {
  constructor(private readonly db: Database) {}

  async scopeFor(principal: Principal, options: { collectionIds?: string[]; filter?: NormalisedFilter } = {}): Promise<ReadScope> {
    const { collections, withheld } = await this.scopeOf(principal, options.collectionIds);
    const filtered =
      collections.length > 0
        ? await this.documentsMatching(
            collections.map((c) => c.id),
            options.filter,
          )
        : undefined;
    const scope: ReadScope = { collections, filtered, withheld };
    issuedScopes.add(scope);
    return scope;
  }

  /** A scope issued by scopeFor() as is; for a principal, one resolved now. */
  async resolve(who: Principal | ReadScope, options: { collectionIds?: string[]; filter?: NormalisedFilter }): Promise<ReadScope> {
    return issuedScopes.has(who) ? (who as ReadScope) : this.scopeFor(who as Principal, options);
  }

  /** The ready documents of these collections that a filter leaves (undefined: no filter). */
  private async documentsMatching(collectionIds: string[], filter: NormalisedFilter | undefined): Promise<FilteredDocuments | undefined> {
    if (!filter) return undefined;
    const { rows } = await this.db.query<{ ids: string[] | null; chunks: number }>(
      `WITH matching AS (
         SELECT d.id FROM documents d
          WHERE d.collection_id = ANY($1::uuid[]) AND d.status = 'ready'
            AND ($3::uuid[] IS NULL OR d.id = ANY($3::uuid[]))
            AND ($4::timestamptz IS NULL OR d.updated_at >= $4::timestamptz)
            -- every filtered key holds one of its allowed values (a missing key holds none)
            AND NOT EXISTS (SELECT 1 FROM jsonb_each($2::jsonb) f(key, allowed)
                             WHERE NOT f.allowed @> jsonb_build_array(d.metadata -> f.key)))
       SELECT array_agg(id) AS ids, (SELECT count(*)::int FROM chunks c WHERE c.document_id IN (SELECT id FROM matching)) AS chunks FROM matching`,
      [collectionIds, JSON.stringify(filter.metadata), filter.documentIds, filter.updatedAfter],
    );
    return { ids: rows[0]?.ids ?? [], chunks: rows[0]?.chunks ?? 0 };
  }

  /**
   * The collections the principal (or the audience it stands for) may read, decided in SQL,
   * narrowed to `requested`, and their restricted documents it may not: in one round trip.
   */
  private async scopeOf(
    principal: Principal,
    requested: string[] | undefined,
  ): Promise<{ collections: CollectionInScope[]; withheld: string[] }> {
    const { rows } = await this.db.query<CollectionInScope & { withheld: string[] }>(
      `WITH readable AS MATERIALIZED (
         SELECT id, text_search_config::text AS config, coalesce(language, detected_language) AS language, embedding_model AS model,
                coalesce((SELECT s.chunks FROM chunk_statistics s WHERE s.collection_id = collections.id AND s.embedding_model = collections.embedding_model), 0)::int AS chunks
           FROM collections
          WHERE id IN (${collectionScopes.readable('$1', '$3')}) AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[])))
       SELECT r.*, (SELECT coalesce(array_agg(w.id), '{}') FROM (${collectionScopes.withheldDocuments('$1', '$3', '(SELECT array_agg(id) FROM readable)')}) w(id)) AS withheld
         FROM readable r`,
      [principal.userId, requested ?? null, principal.audienceGroupId ?? null],
    );
    return { collections: rows.map(({ withheld: _, ...collection }) => collection), withheld: rows[0]?.withheld ?? [] };
  }
}
