import type { Services } from '../../server/services.ts';
import { embeddingText } from '../../ingestion/chunking/embeddingText.ts';
import { insertChunks } from '../../ingestion/swapInVersion.ts';
import { sectionText } from '../../ingestion/sampleCorpus/sectionText.ts';
import { benchDocument } from '../ingest/generateCorpus.ts';

const chunksPerDocument = 100;

/**
 * Fills a collection with `count` chunks of engineering text quickly, for the chat benchmark:
 * rows go in directly (the ingestion pipeline has its own benchmark) and the HNSW index is
 * rebuilt once at the end, which PGlite does several times faster than row-by-row inserts.
 */
export async function loadChunks(services: Services, collectionId: string, count: number): Promise<void> {
  await services.db.query('DROP INDEX IF EXISTS chunks_embedding_hnsw_512');
  for (let doc = 0; doc * chunksPerDocument < count; doc++) {
    const source = benchDocument(doc, { documents: 0, sectionsPerDocument: chunksPerDocument });
    const chunks = source.sections.map((section) => ({ text: sectionText(section), headingPath: [source.title, section.heading], page: null, tokenCount: Math.ceil(sectionText(section).length / 4) }));
    const embeddings = await services.embedder.embedPassages(chunks.map(embeddingText));
    await services.db.transaction(async (client) => {
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO documents (collection_id, external_id, title, filename, content_hash, status, version) VALUES ($1, $2, $3, $2, md5($2), 'ready', 1) RETURNING id`,
        [collectionId, source.file, source.title],
      );
      await insertChunks(client, { documentId: rows[0]!.id, collectionId, targetVersion: 1 }, chunks, { model: services.embedder.model, embeddings });
    });
  }
  await services.db.query(`CREATE INDEX chunks_embedding_hnsw_512 ON chunks USING hnsw ((embedding::vector(512)) vector_cosine_ops) WHERE embedding_dimension = 512`);
  // Sentence vectors: encoding 100k chunks on this CPU takes hours (about 15 a second), so the
  // index is filled with stand-ins of the same size (the hashed vectors) to measure its search.
  const encoder = services.inference.sentenceEncoder;
  if (encoder) {
    await services.db.query('DROP INDEX chunk_sentence_vectors_hnsw');
    await services.db.query(`INSERT INTO chunk_sentence_vectors (chunk_id, model, collection_id, embedding) SELECT id, $1, collection_id, embedding::vector(512) FROM chunks`, [encoder.model]);
    await services.db.query('CREATE INDEX chunk_sentence_vectors_hnsw ON chunk_sentence_vectors USING hnsw (embedding vector_cosine_ops)');
  }
  await services.db.query('ANALYZE');
}
