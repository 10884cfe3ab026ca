import type { Services } from '../../server/services.ts';
import type { TaskDefinition } from '../../server/queue/JobQueue.ts';
import { toVectorLiteral } from '../../server/db/embeddingIndex.ts';
import { sampleCollections } from '../sampleCorpus/index.ts';
import type { SampleSection } from '../sampleCorpus/SampleDocument.ts';

export interface IndexSampleDocumentData {
  documentId: string;
}

interface SampleMetadata {
  sample: { collection: string; file: string; sectionPages: (number | null)[] };
}

export function sectionText(section: SampleSection): string {
  return [
    section.heading,
    ...(section.paragraphs ?? []),
    ...(section.bullets ?? []).map((bullet) => `- ${bullet}`),
    ...(section.code ? [section.code] : []),
    ...(section.table ?? []).map((row) => row.join(' | ')),
  ].join('\n');
}

/**
 * Indexes one demo document from its authored sections: one chunk per section, with heading
 * path and PDF page. This is the seed's interim path; the real ingestion pipeline (parsing the
 * rendered files) replaces it. Idempotent: it rewrites the chunks of the current version.
 */
export function indexSampleDocumentTask(services: Services): TaskDefinition<IndexSampleDocumentData> {
  return {
    name: 'IndexSampleDocumentTask',
    attempts: 3,
    backoff: { type: 'exponential', delay: 1000 },
    async handle({ documentId }, context) {
      const { rows } = await services.db.query<{ version: number; title: string; metadata: SampleMetadata; collectionId: string }>(
        `SELECT version, title, metadata, collection_id AS "collectionId" FROM documents WHERE id = $1`,
        [documentId],
      );
      const document = rows[0];
      if (!document) return { skipped: 'document deleted' };
      const { collection: collectionSlug, file, sectionPages } = document.metadata.sample;
      const sample = sampleCollections.find((c) => c.slug === collectionSlug)?.documents.find((d) => d.file === file);
      if (!sample) throw new Error(`no sample document ${collectionSlug}/${file}`);

      const texts = sample.sections.map(sectionText);
      const embeddings = await services.embedder.embedPassages(texts);
      await context.updateProgress(50);
      await services.db.transaction(async (client) => {
        await client.query(`DELETE FROM chunks WHERE document_id = $1 AND document_version = $2`, [documentId, document.version]);
        for (const [ordinal, text] of texts.entries()) {
          await client.query(
            `INSERT INTO chunks (document_id, collection_id, document_version, ordinal, text, heading_path, page, token_count,
                                 embedding_model, embedding_dimension, embedding, text_search_config)
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::vector, c.text_search_config FROM collections c WHERE c.id = $2`,
            [
              documentId,
              document.collectionId,
              document.version,
              ordinal,
              text,
              [document.title, sample.sections[ordinal]!.heading],
              sectionPages[ordinal] ?? null,
              // An estimate (about four characters a token) until the ingestion pipeline counts real tokens.
              Math.ceil(text.length / 4),
              services.embedder.model,
              embeddings[ordinal]!.length,
              toVectorLiteral(embeddings[ordinal]!),
            ],
          );
        }
        await client.query(`UPDATE documents SET status = 'ready', error = NULL, updated_at = now() WHERE id = $1`, [documentId]);
      });
      await context.updateProgress(100);
      return { chunks: texts.length };
    },
  };
}
