import JSZip from 'jszip';
// The package's types are CommonJS while Node loads its ES build: the class is the namespace's default.
import * as pptxgenjs from 'pptxgenjs';

const PptxGenJS = pptxgenjs.default as unknown as typeof pptxgenjs.default.default;

/** A real PPTX (written by pptxgenjs): a titled slide with bullets and notes, and a slide with a table. */
export async function timingReviewDeck(): Promise<Buffer> {
  const deck = new PptxGenJS();
  deck.title = 'Timing review';
  deck.defineSlideMaster({ title: 'TITLED', objects: [{ placeholder: { options: { name: 'title', type: 'title', x: 0.5, y: 0.2, w: 9, h: 1 }, text: '' } }] });
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
  second.addTable([[{ text: 'Corner' }, { text: 'Check' }], [{ text: 'ss_0p72v_125c' }, { text: 'setup' }], [{ text: 'ff_0p88v_m40c' }, { text: 'hold' }]], { x: 0.5, y: 1.5 });
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
