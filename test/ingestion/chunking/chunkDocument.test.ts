import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chunkDocument } from '../../../ingestion/chunking/chunkDocument.ts';
import { countTokens } from '../../../server/language/countTokens.ts';
import type { Block, ParsedDocument } from '../../../ingestion/parsing/ParsedDocument.ts';
import { parseMarkdown } from '../../../ingestion/parsing/parseMarkdown.ts';

const doc = (blocks: Block[]): ParsedDocument => ({ title: 't', mimeType: 'text/markdown', blocks });
const sentence = (i: number) => `Sentence number ${i} explains how the clk_div_en enable gates the divider in block ${i}.`;

describe('chunkDocument', () => {
  it('gives every chunk the heading path of its section, and never mixes sections', async () => {
    const parsed = parseMarkdown(
      '# Guide\n\nIntro text here.\n\n## Resets\n\nReset text.\n\n### Sync\n\nSync text.\n\n## Clocks\n\nClock text.',
    );
    const chunks = await chunkDocument(parsed, { chunkSize: 512, chunkOverlap: 64 });
    assert.deepEqual(
      chunks.map((c) => [c.headingPath, c.text]),
      [
        [['Guide'], 'Intro text here.'],
        [['Guide', 'Resets'], 'Reset text.'],
        [['Guide', 'Resets', 'Sync'], 'Sync text.'],
        [['Guide', 'Clocks'], 'Clock text.'],
      ],
    );
  });

  it('keeps chunks within the token budget, with overlap between neighbours', async () => {
    const blocks: Block[] = Array.from({ length: 40 }, (_, i) => ({ kind: 'paragraph', text: sentence(i) }));
    const chunks = await chunkDocument(doc(blocks), { chunkSize: 100, chunkOverlap: 30 });
    assert.ok(chunks.length > 5);
    for (const chunk of chunks) {
      assert.ok(chunk.tokenCount <= 100, `${chunk.tokenCount} tokens`);
      assert.equal(chunk.tokenCount, countTokens(chunk.text));
    }
    for (let i = 1; i < chunks.length; i++) {
      const lastOfPrevious = chunks[i - 1]!.text.split('\n').at(-1)!;
      assert.ok(chunks[i]!.text.startsWith(lastOfPrevious), `chunk ${i} starts with the end of chunk ${i - 1}`);
    }
  });

  it('splits a long table between rows and repeats the header', async () => {
    const rows = [['signal', 'domain'], ...Array.from({ length: 60 }, (_, i) => [`sig_${i}_q`, `domain number ${i}`])];
    const chunks = await chunkDocument(doc([{ kind: 'table', rows }]), { chunkSize: 80, chunkOverlap: 20 });
    assert.ok(chunks.length > 2);
    for (const chunk of chunks) {
      const lines = chunk.text.split('\n');
      assert.equal(lines[0], 'signal | domain');
      for (const line of lines.slice(1)) assert.match(line, /^sig_\d+_q \| domain number \d+$/);
    }
    const allRows = chunks.flatMap((c) => c.text.split('\n').slice(1));
    assert.equal(allRows.length, 60, 'every row exactly once: no overlap for table rows');
  });

  it('splits code between lines, never inside one', async () => {
    const code = Array.from({ length: 80 }, (_, i) => `assign out_${i} = in_${i} & en_${i};`).join('\n');
    const chunks = await chunkDocument(doc([{ kind: 'code', text: code }]), { chunkSize: 60, chunkOverlap: 0 });
    const lines = new Set(code.split('\n'));
    for (const chunk of chunks) for (const line of chunk.text.split('\n')) assert.ok(lines.has(line), `cut line: ${line}`);
  });

  it('cuts only a paragraph longer than a chunk, at word boundaries', async () => {
    const long = Array.from({ length: 60 }, (_, i) => sentence(i)).join(' ');
    const chunks = await chunkDocument(doc([{ kind: 'paragraph', text: long, page: 3 }]), { chunkSize: 120, chunkOverlap: 20 });
    assert.ok(chunks.length > 3);
    for (const chunk of chunks) {
      assert.ok(chunk.tokenCount <= 120);
      assert.equal(chunk.page, 3);
      assert.match(chunk.text, /^\S.*\S$/s);
    }
  });
});
