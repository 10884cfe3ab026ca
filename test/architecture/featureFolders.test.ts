import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { cruise, type ICruiseResult } from 'dependency-cruiser';

const root = path.resolve(import.meta.dirname, '../..');
const config = createRequire(import.meta.url)(path.join(root, '.dependency-cruiser.cjs')) as { options: Record<string, unknown> };

/** The feature folder a module belongs to: server/users, ingestion/tasks (its subfolders included). */
const featureFolderOf = (file: string): string | undefined => /^((?:server|ingestion)\/[^/]+)\//.exec(file)?.[1];

/** Every import from one feature folder into another, keyed "from → to", with the modules that make it. */
function folderImports(result: ICruiseResult): Map<string, string[]> {
  const imports = new Map<string, string[]>();
  for (const module of result.modules) {
    const from = featureFolderOf(module.source);
    for (const dependency of module.dependencies) {
      const to = featureFolderOf(dependency.resolved);
      if (!from || !to || from === to) continue;
      const key = `${from} → ${to}`;
      imports.set(key, [...(imports.get(key) ?? []), `${module.source} → ${dependency.resolved}`]);
    }
  }
  return imports;
}

// dependency-cruiser's folder rules see cycles of any length (every folder reaches server/ and back
// through services.ts), so the rule that two features never lean on each other is checked here.
test('no two feature folders import each other both ways', async () => {
  const previous = process.cwd();
  process.chdir(root);
  try {
    const { output } = await cruise(['server', 'ingestion'], { ...config.options, validate: false, ruleSet: undefined } as never);
    const imports = folderImports(output as ICruiseResult);
    assert.ok(imports.size > 20, 'the cruise saw the feature folders');
    const bothWays = [...imports.keys()]
      .map((key) => key.split(' → ') as [string, string])
      .filter(([from, to]) => from < to && imports.has(`${to} → ${from}`))
      .map(([from, to]) => [...imports.get(`${from} → ${to}`)!, ...imports.get(`${to} → ${from}`)!].join('\n'));
    assert.deepEqual(bothWays, []);
  } finally {
    process.chdir(previous);
  }
});
