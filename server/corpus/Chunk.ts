/** A passage of a document version, as the pipeline cuts it and the corpus stores it. */
export interface Chunk {
  text: string;
  headingPath: string[];
  page: number | null;
  tokenCount: number;
  /** The lines of its file it holds (code and text read from a source), for citations. */
  lines?: ChunkLines | null;
}

export interface ChunkLines {
  start: number;
  end: number;
}
