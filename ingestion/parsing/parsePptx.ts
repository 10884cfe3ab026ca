import { DOMParser, type Element } from '@xmldom/xmldom';
import JSZip from 'jszip';
import path from 'node:path/posix';
import { ParseError, type Block, type ParsedDocument } from './ParsedDocument.ts';

const pptxMime = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
const clean = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * PPTX slides in presentation order: each slide's title becomes a heading (so chunks carry
 * "Slide 3: Hold fixing" as their heading path and the slide number as their page), body text
 * becomes paragraphs or lists, tables keep their rows, and speaker notes follow their slide.
 * Written by hand over jszip and xmldom because the maintained PPTX readers flatten slides to
 * one string, losing the structure the chunker and the citations need.
 */
export async function parsePptx(bytes: Uint8Array): Promise<ParsedDocument> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch (error) {
    throw new ParseError('corrupt_file', `The PPTX cannot be read: ${(error as Error).message}`);
  }
  const slidePaths = await slideOrder(zip);
  const blocks: Block[] = [];
  let firstTitle = '';
  for (const [index, slidePath] of slidePaths.entries()) {
    const page = index + 1;
    const slide = await readXml(zip, slidePath);
    if (!slide) continue;
    const shapes = readShapes(slide);
    // Decks made without layouts have no title placeholder: a short one-line first text box stands in.
    const titleShape = shapes.find((s) => s.isTitle) ?? shapes.find((s) => s.paragraphs.length === 1 && s.paragraphs[0]!.length <= 100);
    if (titleShape) titleShape.isTitle = true;
    const title = titleShape?.paragraphs.join(' ') ?? '';
    firstTitle ||= title;
    blocks.push({ kind: 'heading', level: 2, text: title ? `Slide ${page}: ${title}` : `Slide ${page}`, page });
    for (const shape of shapes.filter((s) => !s.isTitle)) {
      if (shape.table) blocks.push({ kind: 'table', rows: shape.table, page });
      else if (shape.paragraphs.length > 1) blocks.push({ kind: 'list', items: shape.paragraphs, page });
      else if (shape.paragraphs.length === 1) blocks.push({ kind: 'paragraph', text: shape.paragraphs[0]!, page });
    }
    const notes = await speakerNotes(zip, slidePath);
    if (notes) blocks.push({ kind: 'paragraph', text: `Speaker notes: ${notes}`, page });
  }
  const coreTitle = clean(firstText(await readXml(zip, 'docProps/core.xml'), 'dc:title'));
  return { title: coreTitle || firstTitle, mimeType: pptxMime, blocks };
}

interface Shape {
  isTitle: boolean;
  paragraphs: string[];
  table?: string[][];
}

async function readXml(zip: JSZip, name: string): Promise<Element | undefined> {
  const file = zip.file(name);
  if (!file) return undefined;
  const document = new DOMParser({ onError: () => undefined }).parseFromString(await file.async('string'), 'text/xml');
  return document.documentElement ?? undefined;
}

function firstText(root: Element | undefined, tag: string): string {
  return root?.getElementsByTagName(tag)[0]?.textContent ?? '';
}

/** Slide part names in the order presentation.xml lists them (file names need not match it). */
async function slideOrder(zip: JSZip): Promise<string[]> {
  const presentation = await readXml(zip, 'ppt/presentation.xml');
  const relations = await relationships(zip, 'ppt/presentation.xml');
  if (!presentation) throw new ParseError('corrupt_file', 'The PPTX has no ppt/presentation.xml part.');
  return Array.from(presentation.getElementsByTagName('p:sldId'))
    .map((slideId) => relations.get(slideId.getAttribute('r:id') ?? ''))
    .filter((target): target is string => Boolean(target));
}

/** A part's relationships, id to resolved part name. */
async function relationships(zip: JSZip, part: string): Promise<Map<string, string>> {
  const rels = await readXml(zip, path.join(path.dirname(part), '_rels', `${path.basename(part)}.rels`));
  const map = new Map<string, string>();
  for (const rel of Array.from(rels?.getElementsByTagName('Relationship') ?? [])) {
    const target = rel.getAttribute('Target') ?? '';
    map.set(rel.getAttribute('Id') ?? '', target.startsWith('/') ? target.slice(1) : path.join(path.dirname(part), target));
    map.set(`type:${(rel.getAttribute('Type') ?? '').split('/').pop()}`, map.get(rel.getAttribute('Id') ?? '')!);
  }
  return map;
}

function paragraphsOf(element: Element): string[] {
  return Array.from(element.getElementsByTagName('a:p'))
    .map((p) =>
      clean(
        Array.from(p.getElementsByTagName('a:t'))
          .map((t) => t.textContent ?? '')
          .join(''),
      ),
    )
    .filter(Boolean);
}

function readShapes(slide: Element): Shape[] {
  const shapes: Shape[] = [];
  for (const sp of Array.from(slide.getElementsByTagName('p:sp'))) {
    const placeholder = sp.getElementsByTagName('p:ph')[0]?.getAttribute('type') ?? '';
    shapes.push({ isTitle: placeholder === 'title' || placeholder === 'ctrTitle', paragraphs: paragraphsOf(sp) });
  }
  for (const table of Array.from(slide.getElementsByTagName('a:tbl'))) {
    const rows = Array.from(table.getElementsByTagName('a:tr')).map((tr) =>
      Array.from(tr.getElementsByTagName('a:tc')).map((tc) => paragraphsOf(tc).join(' ')),
    );
    if (rows.length) shapes.push({ isTitle: false, paragraphs: [], table: rows });
  }
  return shapes;
}

async function speakerNotes(zip: JSZip, slidePath: string): Promise<string> {
  const notesPath = (await relationships(zip, slidePath)).get('type:notesSlide');
  const notes = notesPath ? await readXml(zip, notesPath) : undefined;
  if (!notes) return '';
  const body = Array.from(notes.getElementsByTagName('p:sp')).filter(
    (sp) => sp.getElementsByTagName('p:ph')[0]?.getAttribute('type') === 'body',
  );
  return clean(body.flatMap(paragraphsOf).join(' '));
}
