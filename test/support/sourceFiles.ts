import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

/** Every TypeScript file of the server and ingestion (paths relative to the repository), with its text. */
export async function serverSources(): Promise<{ file: string; text: string }[]> {
  const files: { file: string; text: string }[] = [];
  for (const dir of ['server', 'ingestion']) {
    for (const entry of await readdir(path.join(root, dir), { recursive: true })) {
      if (!entry.endsWith('.ts')) continue;
      const file = path.join(dir, entry);
      files.push({ file, text: await readFile(path.join(root, file), 'utf8') });
    }
  }
  return files;
}
