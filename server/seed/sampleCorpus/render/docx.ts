import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import type { SampleDocument } from '../SampleDocument.ts';

const plain = (text: string) => text.replace(/`/g, '');

export async function renderDocx(doc: SampleDocument): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({ text: doc.title, heading: HeadingLevel.HEADING_1 }),
    new Paragraph({ text: plain(doc.summary) }),
  ];
  for (const section of doc.sections) {
    children.push(new Paragraph({ text: section.heading, heading: HeadingLevel.HEADING_2 }));
    for (const paragraph of section.paragraphs ?? []) children.push(new Paragraph({ text: plain(paragraph) }));
    for (const bullet of section.bullets ?? []) children.push(new Paragraph({ text: plain(bullet), bullet: { level: 0 } }));
    for (const line of section.code?.split('\n') ?? []) {
      children.push(new Paragraph({ children: [new TextRun({ text: line, font: 'Courier New', size: 19 })] }));
    }
    if (section.table) {
      children.push(
        new Table({
          rows: section.table.map(
            (row) => new TableRow({ children: row.map((cell) => new TableCell({ children: [new Paragraph(plain(cell))] })) }),
          ),
        }),
      );
    }
  }
  const document = new Document({
    creator: 'Tapeout sample corpus',
    title: doc.title,
    sections: [{ children }],
  });
  return Packer.toBuffer(document);
}
