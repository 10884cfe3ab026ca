import path from 'node:path';
import { AssistantService } from './assistants/AssistantService.ts';
import { CollectionService } from './collections/CollectionService.ts';
import type { Config } from './config/index.ts';
import { Database } from './db/Database.ts';
import type { Embedder } from './inference/embeddings/Embedder.ts';
import { HashingEmbedder } from './inference/embeddings/HashingEmbedder.ts';
import type { Logger } from './logging/logger.ts';
import { createJobQueue } from './queue/createJobQueue.ts';
import type { JobQueue } from './queue/JobQueue.ts';
import { ChunkReader } from './retrieval/ChunkReader.ts';
import { UserService } from './users/UserService.ts';

/** Everything a route, task or command needs, built once from the config. */
export interface Services {
  config: Config;
  logger: Logger;
  db: Database;
  queue: JobQueue;
  embedder: Embedder;
  users: UserService;
  collections: CollectionService;
  assistants: AssistantService;
  chunks: ChunkReader;
}

export async function createServices(config: Config, logger: Logger): Promise<Services> {
  const db = await Database.open({
    databaseUrl: config.databaseUrl,
    embeddedDir: path.join(config.dataDir, 'pg'),
    logger,
  });
  return {
    config,
    logger,
    db,
    queue: createJobQueue(config.redisUrl, config.queuePrefix, logger),
    // Remote embedding clients arrive with the inference microservices; until then every
    // deployment embeds on the CPU, and /readyz says so.
    embedder: new HashingEmbedder(),
    users: new UserService(db),
    collections: new CollectionService(db),
    assistants: new AssistantService(db),
    chunks: new ChunkReader(db),
  };
}

export async function closeServices(services: Services): Promise<void> {
  await services.queue.close();
  await services.db.close();
}
