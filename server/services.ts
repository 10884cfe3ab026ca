import path from 'node:path';
import { Redis } from 'ioredis';
import { AssistantAnswerer } from './answering/AssistantAnswerer.ts';
import { AssistantService } from './assistants/AssistantService.ts';
import { CollectionLanguages } from './collections/CollectionLanguages.ts';
import { CollectionService } from './collections/CollectionService.ts';
import type { Config } from './config/index.ts';
import { Database } from './db/Database.ts';
import { ConversationService } from './conversations/ConversationService.ts';
import { DocumentService } from './documents/DocumentService.ts';
import { ExtractionPool } from '../ingestion/extraction/ExtractionPool.ts';
import { createInference, type Inference } from './inference/createInference.ts';
import type { Embedder } from './inference/embeddings/Embedder.ts';
import type { ChatModel } from './inference/llm/ChatModel.ts';
import type { Reranker } from './inference/reranking/Reranker.ts';
import { ChatQuota } from './limits/ChatQuota.ts';
import { RateLimiters } from './limits/rateLimiters.ts';
import type { Logger } from './logging/logger.ts';
import { createJobQueue } from './queue/createJobQueue.ts';
import type { JobQueue } from './queue/JobQueue.ts';
import { ChunkReader } from './retrieval/ChunkReader.ts';
import { HybridRetriever } from './retrieval/HybridRetriever.ts';
import { CredentialEvents } from './auth/CredentialEvents.ts';
import { SessionService } from './auth/SessionService.ts';
import { SignInService } from './auth/SignInService.ts';
import { AuditLog } from './audit/AuditLog.ts';
import { SignInThrottle } from './limits/SignInThrottle.ts';
import { SourceService } from './documents/SourceService.ts';
import { SearchService } from './search/SearchService.ts';
import { McpAuthorization } from './mcp/oauth/McpAuthorization.ts';
import { SlackChannelBindings } from './slack/SlackChannelBindings.ts';
import { UsageService } from './usage/UsageService.ts';
import { ApiKeyService } from './users/ApiKeyService.ts';
import { GroupService } from './users/GroupService.ts';
import { UserService } from './users/UserService.ts';
import { AnswersInFlight } from './lifecycle/AnswersInFlight.ts';
import { IdentityDirectory } from './identity/IdentityDirectory.ts';
import { OidcClient } from './identity/oidc/OidcClient.ts';
import { OidcSignInService } from './identity/OidcSignInService.ts';
import { ScimService } from './identity/scim/ScimService.ts';
import { CredentialCipher } from './sources/credentialCipher.ts';
import { GitConnector } from './sources/git/GitConnector.ts';
import { ConfluenceConnector } from './sources/confluence/ConfluenceConnector.ts';
import { JiraConnector } from './sources/jira/JiraConnector.ts';
import { SharepointConnector } from './sources/sharepoint/SharepointConnector.ts';
import { WebConnector } from './sources/web/WebConnector.ts';
import type { SourceConnector } from './sources/SourceConnector.ts';
import { SyncedSources } from './sources/SyncedSources.ts';

/** Everything a route, task or command needs, built once from the config. */
export interface Services {
  config: Config;
  logger: Logger;
  db: Database;
  queue: JobQueue;
  embedder: Embedder;
  reranker: Reranker;
  /** Undefined when no LLM is configured. */
  chatModel: ChatModel | undefined;
  inference: Inference;
  users: UserService;
  /** Revoked keys, ended sessions and removed users, for whoever holds long-lived connections. */
  credentialEvents: CredentialEvents;
  /** Password sign-in, throttled and audited. */
  signIn: SignInService;
  /** The audit trail of security-relevant acts (audit_events). */
  audit: AuditLog;
  sessions: SessionService;
  /** SSO sign-in through the OpenID provider; undefined when OIDC is not configured. */
  oidcSignIn: OidcSignInService | undefined;
  /** Users and groups provisioned by the identity provider (SCIM 2.0). */
  scim: ScimService;
  groups: GroupService;
  apiKeys: ApiKeyService;
  usage: UsageService;
  slackBindings: SlackChannelBindings;
  /** The source viewer: cited passages in context and original files, under the asker's grants. */
  sources: SourceService;
  collections: CollectionService;
  collectionLanguages: CollectionLanguages;
  assistants: AssistantService;
  chunks: ChunkReader;
  retriever: HybridRetriever;
  answerer: AssistantAnswerer;
  /** The MCP authorization flow: Tapeout's sign-in and consent for MCP clients, their grants and tokens. */
  mcpAuthorization: McpAuthorization;
  /** Passages without an answer (POST /api/search, the MCP search tool), under the caller's grants. */
  search: SearchService;
  conversations: ConversationService;
  /** Per-user limits on answers at once and questions per minute, counted in Redis when configured. */
  chatQuota: ChatQuota;
  /** The rate limits' own Redis connection, closed with the services. */
  limitsRedis: Redis | undefined;
  documents: DocumentService;
  /** Parses and chunks files in worker threads, bounded in time and memory. */
  extraction: ExtractionPool;
  /** The answers being streamed, drained on SIGTERM. */
  answersInFlight: AnswersInFlight;
  /** Git repositories and web sites kept in sync with collections. */
  syncedSources: SyncedSources;
  /** Each kind of source's connector, by kind. */
  sourceConnectors: ReadonlyMap<string, SourceConnector>;
  /** Seals and opens sources' credentials (SOURCE_CREDENTIALS_KEY). */
  credentialCipher: CredentialCipher;
}

export async function createServices(config: Config, logger: Logger): Promise<Services> {
  const db = await Database.open({
    databaseUrl: config.databaseUrl,
    embeddedDir: path.join(config.dataDir, 'pg'),
    embeddedProcess: config.embeddedDatabase === 'process',
    logger,
  });
  const inference = createInference(config);
  const chunks = new ChunkReader(db);
  const assistants = new AssistantService(db);
  const retriever = new HybridRetriever(
    db,
    chunks,
    { embedders: inference.embedders, sentenceEncoder: inference.sentenceEncoder },
    inference.reranker,
    logger,
  );
  const queue = createJobQueue(config.redisUrl, config.queuePrefix, config.queueStalledMs, logger);
  const collections = new CollectionService(db);
  const credentialEvents = new CredentialEvents();
  const users = new UserService(db, credentialEvents);
  const limitsRedis = config.redisUrl ? connectLimitsRedis(config.redisUrl, logger) : undefined;
  const limiters = new RateLimiters(limitsRedis, config.queuePrefix);
  const sessions = new SessionService(db, config.sessionTtlHours, credentialEvents);
  const audit = new AuditLog(db, logger);
  const throttle = new SignInThrottle(limiters, config.signIn);
  const identity = new IdentityDirectory(db, logger);
  // An answer holds its slot at most twice its time limit, so a crashed process gives slots back.
  const documents = new DocumentService(db, queue, collections, path.join(config.dataDir, 'files'));
  const sourcesDir = path.join(config.dataDir, 'sources');
  const sourceConnectors = new Map<string, SourceConnector>([
    ['git', new GitConnector(sourcesDir)],
    ['web', new WebConnector(sourcesDir)],
    ['confluence', new ConfluenceConnector()],
    ['jira', new JiraConnector()],
    ['sharepoint', new SharepointConnector()],
  ]);
  const credentialCipher = new CredentialCipher(config.sources.credentialsKey);
  const answerSlotSeconds = Math.ceil((2 * config.llmOptions.timeoutMs) / 1000) + 60;
  const chatQuota = new ChatQuota(limiters, config.chat, answerSlotSeconds);
  const answersInFlight = new AnswersInFlight();
  return {
    config,
    logger,
    db,
    queue,
    embedder: inference.embedder,
    reranker: inference.reranker,
    chatModel: inference.chatModel,
    inference,
    users,
    credentialEvents,
    sessions,
    signIn: new SignInService({ users, sessions, throttle, audit, logger, passwordSignIn: config.passwordSignIn }),
    audit,
    oidcSignIn: config.oidc
      ? new OidcSignInService({
          db,
          client: new OidcClient(config.oidc, `${config.publicUrl}/api/auth/oidc/callback`),
          directory: identity,
          sessions,
          audit,
          throttle,
          logger,
          settings: config.oidc,
        })
      : undefined,
    scim: new ScimService({ db, users, directory: identity, audit, adminGroup: config.oidc?.adminGroup }),
    groups: new GroupService(db),
    apiKeys: new ApiKeyService(db, users, credentialEvents),
    usage: new UsageService(db),
    slackBindings: new SlackChannelBindings(db),
    sources: new SourceService(db),
    collections,
    collectionLanguages: new CollectionLanguages(db),
    assistants,
    chunks,
    retriever,
    answerer: new AssistantAnswerer(assistants, retriever, inference.chatModel, logger),
    conversations: new ConversationService(db),
    mcpAuthorization: new McpAuthorization({
      db,
      credentialEvents,
      settings: config.mcp,
      resourceUrl: `${config.publicUrl}/mcp`,
      logger: logger.child({ component: 'mcp-oauth' }),
    }),
    search: new SearchService({ assistants, collections, retriever, publicUrl: config.publicUrl, chatQuota, answersInFlight }),
    chatQuota,
    limitsRedis,
    documents,
    extraction: new ExtractionPool({ timeoutMs: config.ingestion.parseTimeoutMs, memoryMb: config.ingestion.parseMemoryMb }, logger),
    answersInFlight,
    syncedSources: new SyncedSources({
      db,
      queue,
      collections,
      documents,
      connectors: sourceConnectors,
      cipher: credentialCipher,
      limits: config.sources,
    }),
    sourceConnectors,
    credentialCipher,
  };
}

/**
 * Rate-limit counters get a connection of their own that fails fast instead of queueing while
 * Redis is away, so the limiters fall back to memory at once (rate-limiter-flexible's advice).
 */
function connectLimitsRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on('error', (error) => logger.warn({ err: error }, 'redis (rate limits) connection error'));
  return redis;
}

export async function closeServices(services: Services): Promise<void> {
  services.limitsRedis?.disconnect();
  await services.queue.close();
  await services.extraction.close();
  await services.inference.sentenceEncoder?.close();
  await services.db.close();
}
