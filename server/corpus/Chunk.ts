/** A passage of a document version, as the pipeline cuts it and the corpus stores it. */
export interface Chunk {
  text: string;
  headingPath: string[];
  page: number | null;
  tokenCount: number;
}
