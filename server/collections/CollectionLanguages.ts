import type { Principal } from '../auth/Principal.ts';
import { requireAdmin } from '../access/policies.ts';
import type { Database } from '../db/Database.ts';
import { detectLanguage } from '../language/detectLanguage.ts';
import { textSearchConfigFor } from '../language/languages.ts';
import { firstChunksSample } from '../corpus/chunkRepository.ts';
import { collectionsOfUnknownLanguage, setDetectedLanguage, setLanguage } from '../corpus/collectionRepository.ts';

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
    return setDetectedLanguage(this.db, collectionId, detected);
  }

  /** Sets a collection's language, or (null) detects it again from the documents it holds. */
  async choose(principal: Principal, collectionId: string, code: string | null): Promise<void> {
    requireAdmin(principal, "choose a collection's language");
    const detected = code === null ? detectLanguage(await this.sample(collectionId)) : undefined;
    await setLanguage(this.db, collectionId, {
      language: code,
      detectedLanguage: detected?.code ?? null,
      textSearchConfig: textSearchConfigFor(code ?? detected?.code ?? null),
    });
  }

  /** At start: the automatic collections holding documents but no language yet (say, from before languages were detected). */
  async detectUndetermined(): Promise<string[]> {
    const changed: string[] = [];
    for (const id of await collectionsOfUnknownLanguage(this.db))
      if (await this.detectFromSample(id, await this.sample(id))) changed.push(id);
    return changed;
  }

  /** The first chunk of some of the collection's documents. */
  private async sample(collectionId: string): Promise<string> {
    return (await firstChunksSample(this.db, collectionId, sampleDocuments)).join('\n');
  }
}
