import type { Services } from '../../server/services.ts';
import { embedSentenceVectorsTask } from './EmbedSentenceVectorsTask.ts';
import { ingestDocumentTask } from './IngestDocumentTask.ts';
import { reembedCollectionTask } from './ReembedCollectionTask.ts';
import { reindexCollectionTextTask } from './ReindexCollectionTextTask.ts';

/** Every background task, registered on whichever queue runs (BullMQ or inline). */
export function registerTasks(services: Services): void {
  services.queue.register(ingestDocumentTask(services));
  services.queue.register(reembedCollectionTask(services));
  services.queue.register(embedSentenceVectorsTask(services));
  services.queue.register(reindexCollectionTextTask(services));
}
