import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { findCollectionBySlug } from '../../server/corpus/collectionRepository.ts';
import type { Config } from '../../server/config/index.ts';
import type { Database } from '../../server/db/Database.ts';
import type { JobQueue } from '../../server/queue/JobQueue.ts';
import { NotFoundError } from '../../server/errors.ts';
import { enqueueIngestion } from '../tasks/IngestDocumentTask.ts';
import { registerDocument } from '../../server/corpus/registerDocument.ts';
import { documentMetadataSchema, type DocumentMetadata } from '../../server/corpus/documentMetadata.ts';
import { safeFilename } from './safeFilename.ts';

type ImportDeps = { db: Database; queue: JobQueue; config: Pick<Config, 'dataDir'> };

const record = z.object({
  _id: z.union([z.string().min(1), z.number()]).transform(String),
  title: z.string().default(''),
  text: z.string(),
  metadata: documentMetadataSchema.optional(),
});

export interface ImportSummary {
  added: number;
  updated: number;
  unchanged: number;
  invalid: { line: number; message: string }[];
  jobIds: string[];
}

const batchSize = 200;

interface ImportItem {
  id: string;
  filename: string;
  storagePath: string;
  hash: string;
  size: number;
  metadata: DocumentMetadata | undefined;
}

/**
 * Imports a BEIR-style JSONL corpus (`_id`, `title`, `text`, optional `metadata` per line), streaming it: each record
 * becomes a Markdown document whose external id is the record's `_id`, so evaluation qrels map
 * straight onto documents. Records go through the ordinary ingestion jobs; bad lines are
 * reported by number and skipped.
 */
export async function importJsonl(services: ImportDeps, collectionSlug: string, file: string): Promise<ImportSummary> {
  const collection = await findCollectionBySlug(services.db, collectionSlug);
  if (!collection) throw new NotFoundError(`Collection "${collectionSlug}"`);
  const dir = path.join(services.config.dataDir, 'files', collection.id, 'import');
  await mkdir(dir, { recursive: true });
  const summary: ImportSummary = { added: 0, updated: 0, unchanged: 0, invalid: [], jobIds: [] };
  let batch: ImportItem[] = [];
  let lineNumber = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    lineNumber += 1;
    if (!line.trim()) continue;
    let parsed: z.infer<typeof record>;
    try {
      parsed = record.parse(JSON.parse(line));
    } catch (error) {
      summary.invalid.push({
        line: lineNumber,
        message: error instanceof z.ZodError ? error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : 'not valid JSON',
      });
      continue;
    }
    const content = parsed.title ? `# ${parsed.title}\n\n${parsed.text}\n` : `${parsed.text}\n`;
    const hash = createHash('sha256').update(content).digest('hex');
    const storagePath = path.join(dir, `${hash}.md`);
    await writeFile(storagePath, content);
    batch.push({
      id: parsed._id,
      filename: `${safeFilename(parsed.title || parsed._id)}.md`,
      storagePath,
      hash,
      size: Buffer.byteLength(content),
      metadata: parsed.metadata,
    });
    if (batch.length >= batchSize) {
      await flush(services, collection.id, batch, summary);
      batch = [];
    }
  }
  await flush(services, collection.id, batch, summary);
  return summary;
}

async function flush(services: ImportDeps, collectionId: string, batch: ImportItem[], summary: ImportSummary) {
  if (batch.length === 0) return;
  const results = await services.db.transaction(async (client) => {
    const outcomes = [];
    for (const item of batch) {
      outcomes.push(
        await registerDocument(client, {
          collectionId,
          filename: item.filename,
          externalId: item.id,
          source: 'import',
          storagePath: item.storagePath,
          contentHash: item.hash,
          byteSize: item.size,
          metadata: item.metadata,
        }),
      );
    }
    return outcomes;
  });
  for (const result of results) {
    summary[result.outcome] += 1;
    if (result.outcome === 'unchanged') continue;
    summary.jobIds.push(result.ingestionJobId);
    await enqueueIngestion(services.queue, result.ingestionJobId);
  }
}
