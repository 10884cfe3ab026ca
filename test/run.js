#!/usr/bin/env node
// Runs the test files under test/ with Node's test runner (TypeScript through tsx):
// `npm test` all of them, `npm test -- part…` those whose path contains a part.
// The web app is built first, because the end-to-end specs load it in Chromium: always for the
// whole suite, and for a selection only when web/dist is missing or older than a web source.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const files = readdirSync(path.join(root, 'test'), { recursive: true })
  .filter((file) => file.endsWith('.test.ts'))
  .map((file) => path.join('test', file))
  .sort();
const filter = process.argv.slice(2);
const selected = filter.length ? files.filter((file) => filter.some((part) => file.includes(part))) : files;

function webBuildIsStale() {
  const built = path.join(root, 'web/dist/index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const sources = readdirSync(path.join(root, 'web'), { recursive: true, withFileTypes: true }).filter(
    (entry) => entry.isFile() && !path.join(entry.parentPath, entry.name).includes(`${path.sep}dist`),
  );
  return sources.some((entry) => statSync(path.join(entry.parentPath, entry.name)).mtimeMs > builtAt);
}

const build = filter.length && !webBuildIsStale() ? { status: 0 } : spawnSync('npm', ['run', 'build:web'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=120000', ...selected], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
});
process.exit(result.status ?? 1);
