import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { it } from 'node:test';
import { parseConfig } from '../../../server/config/index.ts';
import { envSchema } from '../../../server/config/schema.ts';

it('.env.example documents every configuration variable, and only those', async () => {
  const text = await readFile('.env.example', 'utf8');
  const documented = new Set([...text.matchAll(/^#?\s?([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]));
  assert.deepEqual([...documented].sort(), Object.keys(envSchema.shape).sort());
});

it('.env.example parses as a valid configuration when uncommented', async () => {
  const text = await readFile('.env.example', 'utf8');
  const env = Object.fromEntries(
    [...text.matchAll(/^#?\s?([A-Z][A-Z0-9_]+)=(.*)$/gm)]
      .map(([, name, value]) => [name!, value!.trim()])
      // Secrets have no example value.
      .filter(([, value]) => value !== ''),
  );
  assert.doesNotThrow(() => parseConfig(env));
});
