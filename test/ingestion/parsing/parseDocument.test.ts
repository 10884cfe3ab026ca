import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import PDFDocument from 'pdfkit';
import { ParseError, type ParseErrorCode, type ParsedDocument } from '../../../ingestion/parsing/ParsedDocument.ts';
import { parseDocument } from '../../../ingestion/parsing/parseDocument.ts';
import { chipDesign } from '../../../server/seed/sampleCorpus/chipDesign.ts';
import { writeSampleCollection } from '../../../server/seed/sampleCorpus/writeSampleCorpus.ts';
import { lyingDocx, timingReviewDeck, zipBombDocx } from '../../support/officeFixtures.ts';

function pdf(build: (doc: PDFKit.PDFDocument) => void, options: PDFKit.PDFDocumentOptions = {}): Promise<Buffer> {
  const doc = new PDFDocument(options);
  const parts: Buffer[] = [];
  doc.on('data', (part: Buffer) => parts.push(part));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(parts))));
  build(doc);
  doc.end();
  return done;
}

const headings = (doc: ParsedDocument) => doc.blocks.flatMap((b) => (b.kind === 'heading' ? [`${b.level}:${b.text}`] : []));
const allText = (doc: ParsedDocument) =>
  doc.blocks.map((b) => (b.kind === 'list' ? b.items.join(' ') : b.kind === 'table' ? b.rows.flat().join(' ') : b.text)).join(' ');

async function refusal(bytes: Uint8Array, filename: string): Promise<{ code: ParseErrorCode; message: string }> {
  try {
    await parseDocument(bytes, filename);
  } catch (error) {
    assert.ok(error instanceof ParseError, `expected a ParseError, got ${error}`);
    return { code: error.code, message: error.message };
  }
  assert.fail(`${filename} was accepted`);
}

describe('parseDocument on the real sample files', () => {
  let dir: string;
  const file = (name: string) => readFile(path.join(dir, 'chip-design', name));
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tapeout-parse-'));
    await writeSampleCollection(chipDesign, dir);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('Markdown: headings, lists, code and tables as blocks', async () => {
    const doc = await parseDocument(await file('rtl-coding-guidelines.md'), 'rtl-coding-guidelines.md');
    assert.equal(doc.title, 'RTL Coding Guidelines');
    assert.deepEqual(headings(doc).slice(0, 3), ['1:RTL Coding Guidelines', '2:Naming', '2:Sequential and combinational logic']);
    assert.ok(doc.blocks.some((b) => b.kind === 'code' && b.text.includes('always_ff')));
    assert.ok(doc.blocks.some((b) => b.kind === 'list' && b.items.some((i) => i.includes('$clog2'))));
    assert.match(allText(doc), /STREAM_MCAST_DEST/);
  });

  it('HTML: content without the page chrome, tables kept as rows', async () => {
    const doc = await parseDocument(await file('timing-closure-sta.html'), 'timing-closure-sta.html');
    assert.equal(doc.mimeType, 'text/html');
    assert.doesNotMatch(allText(doc), /Engineering wiki|Do not distribute/);
    const table = doc.blocks.find((b) => b.kind === 'table');
    assert.deepEqual(table?.kind === 'table' && table.rows[0], ['Corner', 'Process / voltage / temperature', 'Checks']);
    assert.ok(doc.blocks.some((b) => b.kind === 'code' && b.text.includes('set_multicycle_path 2 -setup')));
  });

  it('DOCX: headings, bullets and tables through mammoth', async () => {
    const doc = await parseDocument(await file('verification-flow.docx'), 'verification-flow.docx');
    assert.deepEqual(headings(doc), [
      '1:Verification Flow',
      '2:Testbench architecture',
      '2:Formal verification',
      '2:Regressions',
      '2:Coverage closure',
    ]);
    assert.ok(doc.blocks.some((b) => b.kind === 'table' && b.rows.length === 4));
    assert.ok(doc.blocks.some((b) => b.kind === 'list' && b.items.length === 3));
  });

  it('PPTX: slides in order, titles as headings, slide numbers as pages, tables and speaker notes kept', async () => {
    const doc = await parseDocument(await timingReviewDeck(), 'timing-review.pptx');
    assert.equal(doc.title, 'Timing review');
    assert.deepEqual(headings(doc), ['2:Slide 1: Hold fixing', '2:Slide 2: Sign-off corners']);
    assert.deepEqual(
      doc.blocks.filter((b) => b.kind !== 'heading').map((b) => [b.kind, b.page]),
      [
        ['list', 1],
        ['paragraph', 1],
        ['table', 2],
      ],
    );
    assert.match(allText(doc), /Speaker notes: The ECO freeze for hold fixes/);
    const table = doc.blocks.find((b) => b.kind === 'table');
    assert.deepEqual(table?.kind === 'table' && table.rows[2], ['ff_0p88v_m40c', 'hold']);
  });

  it('PDF: the text layer in paragraphs with page numbers', async () => {
    const doc = await parseDocument(await file('low-power-upf.pdf'), 'low-power-upf.pdf');
    assert.equal(doc.title, 'Low-Power Design with UPF');
    assert.ok(doc.blocks.length > 3);
    assert.ok(doc.blocks.every((b) => b.page === 1));
    assert.match(allText(doc), /isolation enable comes from the power controller/);
  });

  it('PDF: page numbers follow the pages', async () => {
    const bytes = await pdf((doc) => {
      doc.text('First page about scan chains.');
      doc.addPage().text('Second page about retention flops.');
    });
    const doc = await parseDocument(bytes, 'two-pages.pdf');
    assert.deepEqual(
      doc.blocks.map((b) => b.page),
      [1, 2],
    );
  });

  it('CSV: one table, header first', async () => {
    const doc = await parseDocument(Buffer.from('signal,width,domain\nclk_div_en,1,periph\nscan_en,1,test\n'), 'signals.csv');
    assert.deepEqual(doc.blocks, [
      {
        kind: 'table',
        rows: [
          ['signal', 'width', 'domain'],
          ['clk_div_en', '1', 'periph'],
          ['scan_en', '1', 'test'],
        ],
      },
    ]);
  });

  it('plain text: paragraphs split at blank lines; type from content for unknown names', async () => {
    const doc = await parseDocument(Buffer.from('First paragraph.\n\nSecond paragraph.'), 'NOTES');
    assert.deepEqual(
      doc.blocks.map((b) => b.kind === 'paragraph' && b.text),
      ['First paragraph.', 'Second paragraph.'],
    );
    const html = await parseDocument(Buffer.from('<!doctype html><html><body><h1>Hi</h1><p>Body text.</p></body></html>'), 'page');
    assert.equal(html.mimeType, 'text/html');
  });
});

describe('parseDocument: text is text, whatever signature it starts like', () => {
  // Sentences from a public passage corpus whose first bytes spell a binary signature to a
  // magic-number sniffer: "free" at offset 4 is a QuickTime atom, "ftyp" an MP4 box, "%PDF" a PDF.
  const sentences = [
    'Our free calculator uses recent, trusted data to estimate your payment.',
    'The ftyp box opens every MP4 file; this note explains it.',
    'GIF89a is the name of the animated image format from 1989.',
    'PK is how the zip format begins; these notes cover archives.',
    '%PDF-1.7 is the version this printer writes, according to the manual.',
    'ID3 tags carry the title and artist of an MP3 file.',
  ];
  for (const name of ['notes.md', 'notes.txt', 'notes.csv', 'NOTES']) {
    it(`${name}: every sentence is indexed as text`, async () => {
      for (const sentence of sentences) {
        const doc = await parseDocument(Buffer.from(`${sentence}\n`), name);
        assert.match(doc.mimeType, /^text\//, `${sentence} as ${name}`);
        assert.match(allText(doc), new RegExp(sentence.slice(0, 12).replace(/[.*+?^${}()|[\]\\%]/g, '\\$&')));
      }
    });
  }

  it('a binary signature still decides for bytes that are not text', async () => {
    const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.from([1, 0, 1, 0, 0x80, 0, 0, 0xff, 0xfe])]);
    const { code, message } = await refusal(gif, 'notes.md');
    assert.equal(code, 'unsupported_type');
    assert.match(message, /image\/gif/);
  });
});

describe('parseDocument: raw HTML in Markdown keeps its text, as CommonMark renders it', () => {
  it('a file made of HTML paragraphs', async () => {
    const source =
      '</p><p>In previous years, the Lincoln Town Car was the longest car in its class.</p><p>The 2011 model kept its V8 &amp; its frame.</p>';
    const doc = await parseDocument(Buffer.from(source), 'town-car.md');
    assert.deepEqual(
      doc.blocks.map((b) => b.kind === 'paragraph' && b.text),
      ['In previous years, the Lincoln Town Car was the longest car in its class.', 'The 2011 model kept its V8 & its frame.'],
    );
  });

  it('inline tags are dropped and their text kept; scripts and styles are dropped whole', async () => {
    const source =
      '# Clocks &amp; resets\n\nUse <b>one</b> reset <span class="x">per domain</span>.\n\n<script>alert("x")</script>\n\n<style>p{}</style>\n';
    const doc = await parseDocument(Buffer.from(source), 'resets.md');
    assert.equal(doc.title, 'Clocks & resets');
    assert.equal(allText(doc), 'Clocks & resets Use one reset per domain.');
  });
});

describe('parseDocument refuses bad files with a stable code', () => {
  it('random bytes named .pdf', async () => {
    const { code, message } = await refusal(randomBytes(4096), 'report.pdf');
    assert.equal(code, 'corrupt_file');
    assert.match(message, /not a PDF/);
  });

  it('a truncated PDF', async () => {
    const bytes = await pdf((doc) => doc.text('Some text.'));
    assert.equal((await refusal(bytes.subarray(0, 400), 'cut.pdf')).code, 'corrupt_file');
  });

  it('a PDF without a text layer', async () => {
    const bytes = await pdf((doc) => doc.rect(50, 50, 200, 100).fill('#888'));
    assert.equal((await refusal(bytes, 'scan.pdf')).code, 'no_text_layer');
  });

  it('a password-protected PDF', async () => {
    const bytes = await pdf((doc) => doc.text('Secret.'), { userPassword: 'hunter2', ownerPassword: 'owner' } as PDFKit.PDFDocumentOptions);
    assert.equal((await refusal(bytes, 'locked.pdf')).code, 'encrypted_file');
  });

  it('a zip bomb named .docx, from the sizes its archive declares, before anything is inflated', async () => {
    const { code, message } = await refusal(await zipBombDocx(), 'handbook.docx');
    assert.equal(code, 'zip_bomb');
    assert.match(message, /expands \d+x/);
  });

  it('a DOCX whose archive understates its sizes, stopped at the first byte past the size it declares', async () => {
    const { code, message } = await refusal(await lyingDocx(64 * 1024 * 1024, 1000), 'handbook.docx');
    assert.equal(code, 'archive_too_large');
    assert.match(message, /word\/document\.xml inflates to more than the 1000 bytes the archive declares/);
  });

  it('random bytes named .pptx', async () => {
    assert.equal((await refusal(randomBytes(4096), 'deck.pptx')).code, 'corrupt_file');
  });

  it('an empty text file, and one with only blank lines', async () => {
    assert.equal((await refusal(Buffer.alloc(0), 'empty.txt')).code, 'empty_document');
    assert.equal((await refusal(Buffer.from('\n\n   \n'), 'blank.txt')).code, 'empty_document');
  });

  it('a binary file named .md', async () => {
    const bytes = Buffer.concat([Buffer.from('# Title\n'), randomBytes(2048), Buffer.alloc(16)]);
    assert.equal((await refusal(bytes, 'notes.md')).code, 'binary_as_text');
  });

  it('an image, whatever its name', async () => {
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a2b3b6ed0000000049454e44ae426082',
      'hex',
    );
    const { code, message } = await refusal(png, 'diagram.md');
    assert.equal(code, 'unsupported_type');
    assert.match(message, /image\/png/);
  });
});
