import type { Database } from '../db/Database.ts';
import { detectLanguage } from '../language/detectLanguage.ts';
import { textSearchConfigFor } from '../language/languages.ts';

/** Documents whose first chunk makes up a collection's sample for detection. */
const sampleDocuments = 40;

/**
 * Which language a collection's text is in, and so which stemmer its words are searched with
 * (collections.language, or detected_language while that is NULL). Changing it changes
 * text_search_config; the chunks indexed with another one are then rewritten by
 * ReindexCollectionTextTask, which the caller queues (requestTextReindexing).
 */
export class CollectionLanguages {
  constructor(private readonly db: Database) {}

  /**
   * Names the language of an automatic collection not yet determined, from a sample of a
   * document about to be indexed; a sample too short to tell leaves it to the next document.
   * True when the collection's language was set by this call.
   */
  async detectFromSample(collectionId: string, sample: string): Promise<boolean> {
    const detected = detectLanguage(sample);
    if (!detected) return false;
    const { rowCount } = await this.db.query(
      `UPDATE collections SET detected_language = $2, text_search_config = $3::regconfig, updated_at = now()
        WHERE id = $1 AND language IS NULL AND detected_language IS NULL`,
      [collectionId, detected.code, detected.textSearchConfig],
    );
    return rowCount === 1;
  }

  /** Sets a collection's language, or (null) detects it again from the documents it holds. */
  async choose(collectionId: string, code: string | null): Promise<void> {
    const detected = code === null ? detectLanguage(await this.sample(collectionId)) : undefined;
    await this.db.query(
      `UPDATE collections SET language = $2, detected_language = $3, text_search_config = $4::regconfig, updated_at = now() WHERE id = $1`,
      [collectionId, code, detected?.code ?? null, textSearchConfigFor(code ?? detected?.code ?? null)],
    );
  }

  /** At start: the automatic collections holding documents but no language yet (say, from before languages were detected). */
  async detectUndetermined(): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT c.id FROM collections c WHERE c.language IS NULL AND c.detected_language IS NULL
          AND EXISTS (SELECT 1 FROM chunks ch WHERE ch.collection_id = c.id)`,
    );
    const changed: string[] = [];
    for (const { id } of rows) if (await this.detectFromSample(id, await this.sample(id))) changed.push(id);
    return changed;
  }

  /** The first chunk of some of the collection's documents. */
  private async sample(collectionId: string): Promise<string> {
    const { rows } = await this.db.query<{ text: string }>(
      `SELECT text FROM chunks WHERE collection_id = $1 AND ordinal = 0 ORDER BY document_id LIMIT ${sampleDocuments}`,
      [collectionId],
    );
    return rows.map((row) => row.text).join('\n');
  }
}
