export interface SubmittedFile {
  path: string;
  /** Job id when the file was queued; absent when it was unchanged or refused. */
  jobId?: string;
  outcome: 'added' | 'updated' | 'unchanged' | 'rejected';
  error?: { code: string; message: string };
}

export interface JobStatus {
  state: 'queued' | 'running' | 'completed' | 'failed';
  progress: number;
  error: { code: string; message: string } | null;
}

/** How `tapeout ingest` reaches Tapeout: the database directly, or a running server's API. */
export interface Ingestor {
  readonly description: string;
  /** Creates the collection unless it exists; true when it was created. */
  ensureCollection(slug: string): Promise<boolean>;
  submit(collection: string, files: string[]): Promise<SubmittedFile[]>;
  jobStatus(jobId: string): Promise<JobStatus>;
  close(): Promise<void>;
}
