import PDFDocument from 'pdfkit';
import type { SampleDocument } from '../SampleDocument.ts';

const plain = (text: string) => text.replace(/`/g, '');

/** A PDF with a real text layer. */
export async function renderPdf(doc: SampleDocument): Promise<Buffer> {
  // A fixed creation date keeps the bytes (and so the content hash) stable across runs.
  const pdf = new PDFDocument({ size: 'A4', margin: 56, info: { Title: doc.title, CreationDate: new Date(0) } });
  const parts: Buffer[] = [];
  pdf.on('data', (part: Buffer) => parts.push(part));
  const done = new Promise<void>((resolve) => pdf.on('end', () => resolve()));

  pdf.font('Helvetica-Bold').fontSize(18).text(doc.title).moveDown(0.5);
  pdf.font('Helvetica').fontSize(11).text(plain(doc.summary)).moveDown();
  for (const section of doc.sections) {
    if (pdf.y > pdf.page.height - 160) pdf.addPage();
    pdf.font('Helvetica-Bold').fontSize(13).text(section.heading).moveDown(0.3);
    pdf.font('Helvetica').fontSize(11);
    for (const paragraph of section.paragraphs ?? []) pdf.text(plain(paragraph)).moveDown(0.5);
    for (const bullet of section.bullets ?? []) pdf.text(`- ${plain(bullet)}`, { indent: 12 });
    if (section.code) pdf.moveDown(0.3).font('Courier').fontSize(9.5).text(section.code).font('Helvetica').fontSize(11);
    for (const row of section.table ?? []) pdf.text(row.map(plain).join('  |  '));
    pdf.moveDown();
  }
  pdf.end();
  await done;
  return Buffer.concat(parts);
}
