export type SampleFormat = 'md' | 'html' | 'pdf' | 'docx';

export interface SampleSection {
  heading: string;
  paragraphs?: string[];
  bullets?: string[];
  /** Rendered as a code block (Markdown, HTML) or a monospaced paragraph (PDF, DOCX). */
  code?: string;
  /** First row is the header. */
  table?: string[][];
}

/**
 * One document of the demo corpus. The text is Tapeout's own, written for the demo; each
 * document is rendered to its format's file so the real ingestion path has real files to read.
 */
export interface SampleDocument {
  file: string;
  format: SampleFormat;
  title: string;
  summary: string;
  sections: SampleSection[];
}

export interface SampleCollection {
  slug: string;
  name: string;
  /** Set, not detected: the first document ingested (any of them) would otherwise decide. */
  language: string;
  description: string;
  assistant: {
    slug: string;
    name: string;
    description: string;
    systemPrompt: string;
  };
  documents: SampleDocument[];
}
