import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ValidationError } from '../errors.ts';

export interface BeirQuery {
  id: string;
  text: string;
}

/** query id → document id → graded relevance. */
export type Qrels = Map<string, Map<string, number>>;

export interface BeirDataset {
  corpusFile: string;
  queries: BeirQuery[];
  qrels: Qrels;
}

const queryLine = z.object({ _id: z.union([z.string(), z.number()]).transform(String), text: z.string().min(1) });

/** A BEIR folder: corpus.jsonl, queries.jsonl and qrels/test.tsv (header line, then query-id, corpus-id, score). */
export async function loadBeirDataset(dir: string): Promise<BeirDataset> {
  const files = {
    corpus: path.join(dir, 'corpus.jsonl'),
    queries: path.join(dir, 'queries.jsonl'),
    qrels: path.join(dir, 'qrels', 'test.tsv'),
  };
  const missing = Object.values(files).filter((file) => !existsSync(file));
  if (missing.length)
    throw new ValidationError(`Not a BEIR folder: missing ${missing.map((file) => path.relative(dir, file)).join(', ')}.`);
  const queries = (await readFile(files.queries, 'utf8'))
    .split('\n')
    .filter((line) => line.trim())
    .map((line, i) => {
      const parsed = queryLine.safeParse(JSON.parse(line));
      if (!parsed.success) throw new ValidationError(`queries.jsonl line ${i + 1}: ${parsed.error.issues[0]?.message}`);
      return { id: parsed.data._id, text: parsed.data.text };
    });
  const qrels: Qrels = new Map();
  const lines = (await readFile(files.qrels, 'utf8')).split('\n').filter((line) => line.trim());
  for (const line of lines.slice(/^query-id\t/i.test(lines[0] ?? '') ? 1 : 0)) {
    const [queryId, documentId, score] = line.split('\t');
    if (!queryId || !documentId || score === undefined) continue;
    if (!qrels.has(queryId)) qrels.set(queryId, new Map());
    qrels.get(queryId)!.set(documentId, Number(score));
  }
  return { corpusFile: files.corpus, queries, qrels };
}
