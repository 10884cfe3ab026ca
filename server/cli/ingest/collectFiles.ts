import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Every regular file under the given files and folders (recursively), skipping hidden entries. */
export async function collectFiles(inputs: string[]): Promise<string[]> {
  const files: string[] = [];
  const visit = async (entry: string) => {
    const info = await stat(entry).catch(() => undefined);
    if (!info) throw new Error(`${entry} does not exist`);
    if (info.isFile()) return void files.push(path.resolve(entry));
    if (!info.isDirectory()) return;
    for (const name of (await readdir(entry)).sort()) if (!name.startsWith('.')) await visit(path.join(entry, name));
  };
  for (const input of inputs) await visit(input);
  return files;
}
