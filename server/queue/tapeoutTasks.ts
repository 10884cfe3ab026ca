/**
 * Every background task's name and payload: `enqueue('IngestDocumentTask', …)` accepts only an
 * IngestDocumentTask payload, and a task registered under a name must take that payload. Each
 * handler lives in ingestion/tasks/ (a source's sync in server/sources/), in the file of the same name.
 */
export type TapeoutTasks = {
  IngestDocumentTask: { ingestionJobId: string };
  ReembedCollectionTask: { collectionId: string };
  EmbedSentenceVectorsTask: { documentId: string };
  ReindexCollectionTextTask: { collectionId: string };
  SyncSourceTask: { runId: string };
};
