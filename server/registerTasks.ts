import type { Services } from './services.ts';
import { embedSentenceVectorsTask } from '../ingestion/tasks/EmbedSentenceVectorsTask.ts';
import { ingestDocumentTask } from '../ingestion/tasks/IngestDocumentTask.ts';
import { reembedCollectionTask } from '../ingestion/tasks/ReembedCollectionTask.ts';
import { reindexCollectionTextTask } from '../ingestion/tasks/ReindexCollectionTextTask.ts';
import { registerIngestionFailureSeries } from '../ingestion/ingestionFailureCodes.ts';
import { syncSourceTask } from './sources/SyncSourceTask.ts';

/**
 * Every background task, registered on whichever queue runs (BullMQ or inline), and the metric
 * series of the ways they can fail. Part of the composition root: each task takes only the few
 * services it declares.
 */
export function registerTasks(services: Services): void {
  registerIngestionFailureSeries();
  services.queue.register(ingestDocumentTask(services));
  services.queue.register(reembedCollectionTask(services));
  services.queue.register(embedSentenceVectorsTask(services));
  services.queue.register(reindexCollectionTextTask(services));
  services.queue.register(syncSourceTask(services));
}
