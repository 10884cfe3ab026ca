/**
 * What ingestion receives from any entry point (an HTTP upload, the CLI): a file already staged
 * on disk, with the name it was given, its content hash and size, counted as it was written.
 */
export interface ReceivedFile {
  filename: string;
  tempPath: string;
  contentHash: string;
  byteSize: number;
}

/** A file refused before ingestion (too large), reported beside the accepted ones. */
export interface UploadRejection {
  filename: string;
  error: { code: string; message: string };
}
