import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { git } from '../../sources/git/gitCommand.ts';
import type { orionRtl } from './orionRtl.ts';

/**
 * Writes a sample repository under `dir/<name>` and commits it with the git binary, as its team
 * would have; a repository already committed there is kept as it is (a restart changes nothing).
 * Returns its path.
 */
export async function writeSampleRepository(repository: typeof orionRtl, dir: string, searchPath: string): Promise<string> {
  const target = path.join(dir, repository.name);
  const options = {
    cwd: target,
    searchPath,
    config: { 'user.name': 'Orion SoC integration', 'user.email': 'soc-integration@orion.example', 'commit.gpgSign': 'false' },
  };
  if (existsSync(path.join(target, '.git'))) {
    const committed = await git(['rev-parse', '--verify', '-q', 'HEAD'], options).then(
      () => true,
      () => false,
    );
    if (committed) return target;
    await rm(target, { recursive: true, force: true });
  }
  await mkdir(target, { recursive: true });
  await git(['init', '-q', '-b', repository.branch], options);
  for (const [file, content] of Object.entries(repository.files)) {
    await mkdir(path.dirname(path.join(target, file)), { recursive: true });
    await writeFile(path.join(target, file), content);
  }
  await git(['add', '-A'], options);
  await git(['commit', '-q', '-m', 'Always-on island: RTL, signoff constraints and the STA flow'], options);
  return target;
}
