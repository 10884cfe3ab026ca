import type { Database } from '../db/Database.ts';

interface CollectionStatistics {
  chunks: number;
  tokens: number;
  measuredAt: number;
}

/**
 * Chunk count and total length per collection, for BM25's document-length normalisation and
 * inverse document frequency. Counting every chunk on every query would cost a scan, so the
 * figures are kept for a minute: BM25 changes little when a collection grows by a few documents.
 */
export class CorpusStatistics {
  private readonly cache = new Map<string, CollectionStatistics>();

  constructor(
    private readonly db: Database,
    private readonly maxAgeMs = 60_000,
  ) {}

  async of(collectionIds: string[]): Promise<{ chunks: number; averageLength: number }> {
    const now = Date.now();
    const stale = collectionIds.filter((id) => (this.cache.get(id)?.measuredAt ?? 0) < now - this.maxAgeMs);
    if (stale.length) {
      const { rows } = await this.db.query<{ id: string; chunks: number; tokens: string }>(
        `SELECT c.collection_id AS id, count(*)::int AS chunks, sum(c.token_count)::bigint AS tokens
           FROM chunks c
           JOIN documents d ON d.id = c.document_id AND d.version = c.document_version AND d.status = 'ready'
           JOIN collections col ON col.id = c.collection_id AND col.embedding_model = c.embedding_model
          WHERE c.collection_id = ANY($1::uuid[])
          GROUP BY c.collection_id`,
        [stale],
      );
      for (const id of stale) this.cache.set(id, { chunks: 0, tokens: 0, measuredAt: now });
      for (const row of rows) this.cache.set(row.id, { chunks: row.chunks, tokens: Number(row.tokens), measuredAt: now });
    }
    let chunks = 0;
    let tokens = 0;
    for (const id of collectionIds) {
      chunks += this.cache.get(id)!.chunks;
      tokens += this.cache.get(id)!.tokens;
    }
    return { chunks, averageLength: chunks ? tokens / chunks : 1 };
  }
}
