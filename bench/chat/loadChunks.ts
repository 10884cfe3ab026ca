import type { Services } from '../../server/services.ts';
import { embeddingText } from '../../ingestion/chunking/embeddingText.ts';
import { insertChunks } from '../../server/corpus/chunkRepository.ts';
import { sectionText } from '../../server/seed/sampleCorpus/sectionText.ts';
import { benchDocument } from '../ingest/generateCorpus.ts';

const chunksPerDocument = 100;

/**
 * Fills a collection with `count` chunks of engineering text quickly, for the chat benchmark:
 * rows go in directly (the ingestion pipeline has its own benchmark) and the HNSW index is
 * rebuilt once at the end, which PGlite does several times faster than row-by-row inserts.
 */
export async function loadChunks(
  services: Pick<Services, 'db' | 'embedder' | 'inference'>,
  collectionId: string,
  count: number,
): Promise<void> {
  await services.db.query('DROP INDEX IF EXISTS chunks_embedding_hnsw_512');
  for (let doc = 0; doc * chunksPerDocument < count; doc++) {
    const source = benchDocument(doc, { documents: 0, sectionsPerDocument: chunksPerDocument });
    const chunks = source.sections.map((section) => ({
      text: sectionText(section),
      headingPath: [source.title, section.heading],
      page: null,
      tokenCount: Math.ceil(sectionText(section).length / 4),
    }));
    const embeddings = await services.embedder.embedPassages(chunks.map(embeddingText));
    await services.db.transaction(async (client) => {
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO documents (collection_id, external_id, title, filename, content_hash, status, version) VALUES ($1, $2, $3, $2, md5($2), 'ready', 1) RETURNING id`,
        [collectionId, source.file, source.title],
      );
      await insertChunks(client, { documentId: rows[0]!.id, collectionId, targetVersion: 1 }, chunks, {
        model: services.embedder.model,
        embeddings,
      });
    });
  }
  await buildInMemory(
    services,
    `CREATE INDEX chunks_embedding_hnsw_512 ON chunks USING hnsw ((embedding::vector(512)) vector_cosine_ops) WITH (ef_construction = 200) WHERE embedding_dimension = 512`,
  );
  // Sentence vectors: encoding 100k chunks on this CPU takes hours (about 15 a second), so the
  // index is filled with stand-ins of the same size (the hashed vectors) to measure its search.
  const encoder = services.inference.sentenceEncoder;
  if (encoder) {
    await services.db.query('DROP INDEX chunk_sentence_vectors_hnsw');
    await services.db.query(
      `INSERT INTO chunk_sentence_vectors (chunk_id, model, collection_id, embedding) SELECT id, $1, collection_id, embedding::vector(512) FROM chunks`,
      [encoder.model],
    );
    await buildInMemory(
      services,
      'CREATE INDEX chunk_sentence_vectors_hnsw ON chunk_sentence_vectors USING hnsw (embedding vector_cosine_ops) WITH (ef_construction = 200)',
    );
  }
  await services.db.query('ANALYZE');
}

/**
 * Builds an index as the schema defines it (ef_construction as in the 1765000000000 migration),
 * with the graph in memory: with the default 64 MB pgvector writes a 100k-vector graph to pages
 * as it builds. Measured on 100k chunks: 91 s for one index with 1 GB; the whole load took 29
 * minutes with the default (on another machine; the rows themselves take about 2) and 461 s with 1 GB.
 */
async function buildInMemory(services: Pick<Services, 'db' | 'embedder' | 'inference'>, createIndex: string): Promise<void> {
  await services.db.transaction(async (client) => {
    await client.query(`SET LOCAL maintenance_work_mem = '1GB'`);
    await client.query(createIndex);
  });
}
