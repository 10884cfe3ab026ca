import { sentenceEncoderLanguages } from '../../server/language/languages.ts';

const languageList = sentenceEncoderLanguages.map((code) => `'${code}'`).join(', ');

/**
 * SQL for the chunks that should have a sentence vector of the model in `modelParam` but lack
 * one: those of each ready document's served version, embedded with its collection's current
 * model, in collections whose language the encoder knows (aliases c, d, col). Shared by the queueing, the task and the backlog count, which must
 * agree on it; callers add their conditions with AND.
 */
export function chunksLackingSentenceVectors(modelParam: string): string {
  return `chunks c
    JOIN documents d ON d.id = c.document_id AND d.version = c.document_version AND d.status = 'ready'
    JOIN collections col ON col.id = c.collection_id AND col.embedding_model = c.embedding_model
                        AND coalesce(col.language, col.detected_language) IN (${languageList})
   WHERE NOT EXISTS (SELECT 1 FROM chunk_sentence_vectors v WHERE v.chunk_id = c.id AND v.model = ${modelParam})`;
}
