import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';
import JSZip from 'jszip';
import PDFDocument from 'pdfkit';
// The package's types are CommonJS while Node loads its ES build: the class is the namespace's default.
import * as pptxgenjs from 'pptxgenjs';

const PptxGenJS = pptxgenjs.default as unknown as typeof pptxgenjs.default.default;

/** A real PPTX (written by pptxgenjs): a titled slide with bullets and notes, and a slide with a table. */
export async function timingReviewDeck(): Promise<Buffer> {
  const deck = new PptxGenJS();
  deck.title = 'Timing review';
  deck.defineSlideMaster({
    title: 'TITLED',
    objects: [{ placeholder: { options: { name: 'title', type: 'title', x: 0.5, y: 0.2, w: 9, h: 1 }, text: '' } }],
  });
  const first = deck.addSlide({ masterName: 'TITLED' });
  first.addText('Hold fixing', { placeholder: 'title' });
  first.addText(
    [
      { text: 'Fix hold only after clock tree synthesis', options: { bullet: true, breakLine: true } },
      { text: 'Insert delay cells on the capture side', options: { bullet: true } },
    ],
    { x: 0.5, y: 1.5, w: 9, h: 2 },
  );
  first.addNotes('The ECO freeze for hold fixes is two weeks before tape-out.');
  const second = deck.addSlide({ masterName: 'TITLED' });
  second.addText('Sign-off corners', { placeholder: 'title' });
  second.addTable(
    [
      [{ text: 'Corner' }, { text: 'Check' }],
      [{ text: 'ss_0p72v_125c' }, { text: 'setup' }],
      [{ text: 'ff_0p88v_m40c' }, { text: 'hold' }],
    ],
    { x: 0.5, y: 1.5 },
  );
  return (await deck.write({ outputType: 'nodebuffer' })) as Buffer;
}

/** A DOCX-shaped zip whose document part expands from about 60 KB to 60 MB. */
export async function zipBombDocx(): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  zip.file('word/document.xml', ' '.repeat(60 * 1024 * 1024));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

/**
 * A DOCX-shaped zip that lies: its document part inflates to `inflates` bytes of XML-ish padding
 * while the central directory (and the local header) declare `declares`. Written by hand
 * because no zip library writes false sizes; deflated as a stream, so even gigabytes stay small.
 */
export async function lyingDocx(inflates: number, declares = 1000): Promise<Buffer> {
  const contentTypes = Buffer.from(
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  const padding = await deflatedPadding(inflates);
  return zipOf([
    { name: '[Content_Types].xml', data: deflateRawSync(contentTypes), size: contentTypes.length, crc: crc32(contentTypes) },
    { name: 'word/document.xml', data: padding, size: declares, crc: 0 },
  ]);
}

async function deflatedPadding(bytes: number): Promise<Buffer> {
  const deflate = createDeflateRaw({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (part: Buffer) => parts.push(part));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  const chunk = Buffer.alloc(1024 * 1024, ' ');
  for (let left = bytes; left > 0; left -= chunk.length) {
    if (!deflate.write(left >= chunk.length ? chunk : chunk.subarray(0, left)))
      await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await done;
  return Buffer.concat(parts);
}

/** A zip of deflated entries, with the sizes and CRCs given (true or not). */
function zipOf(entries: { name: string; data: Buffer; size: number; crc: number }[]): Buffer {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(8, 8); // deflate
    header.writeUInt32LE(entry.crc >>> 0, 14);
    header.writeUInt32LE(entry.data.length, 18);
    header.writeUInt32LE(entry.size, 22);
    header.writeUInt16LE(name.length, 26);
    local.push(header, name, entry.data);
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(20, 4);
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE(8, 10);
    record.writeUInt32LE(entry.crc >>> 0, 16);
    record.writeUInt32LE(entry.data.length, 20);
    record.writeUInt32LE(entry.size, 24);
    record.writeUInt16LE(name.length, 28);
    record.writeUInt32LE(offset, 42);
    central.push(record, name);
    offset += header.length + name.length + entry.data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, directory, end]);
}

/** A one-page PDF with a text layer holding `text`, as pdfkit writes it. */
export function textPdf(text: string): Promise<Buffer> {
  const doc = new PDFDocument();
  const parts: Buffer[] = [];
  doc.on('data', (part: Buffer) => parts.push(part));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(parts))));
  doc.fontSize(12).text(text);
  doc.end();
  return done;
}
