import { existsSync } from 'node:fs';
import path from 'node:path';
import { envSchema } from './schema.ts';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** What one question, one conversation and one user may take of the answering path. */
export interface ChatLimits {
  maxQuestionChars: number;
  /** Messages in one /v1 request. */
  maxMessages: number;
  /** Characters of all messages in one /v1 request together. */
  maxHistoryChars: number;
  /** Answers one user may have streaming at once. */
  maxConcurrentAnswers: number;
  questionsPerMinute: number;
}

export interface ServiceEndpoint {
  baseUrls: string[];
  model: string;
  apiKey: string | undefined;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Largest accepted upload, enforced while the file streams in. */
  uploadMaxBytes: number;
  /** Largest upload request (all its files together), counted as it streams in. */
  uploadMaxRequestBytes: number;
  ingestion: {
    /** Per file, in the extraction thread. */
    parseTimeoutMs: number;
    parseMemoryMb: number;
    /** A stage (embedding, storing) running longer is abandoned and the job retried. */
    stageTimeoutMs: number;
  };
  /** Where people reach the web app, for links from Slack to the source viewer. */
  publicUrl: string;
  /** How long a browser session lasts after sign-in. */
  sessionTtlHours: number;
  /** Behind a TLS-terminating proxy: trust X-Forwarded-Proto, so session cookies are marked Secure. */
  trustProxy: boolean;
  /** Failed sign-ins allowed per client address in 15 minutes, and per account before its backoff starts. */
  signIn: { maxFailuresPerIp: number; maxFailuresPerAccount: number };
  chat: ChatLimits;
  logLevel: string;
  databaseUrl: string | undefined;
  /**
   * Without DATABASE_URL: PGlite in a process of its own, supervised by this one (`process`), so
   * SQL never holds this process's event loop; or inside this process (`in-process`, tests).
   */
  embeddedDatabase: 'process' | 'in-process';
  redisUrl: string | undefined;
  /** Keeps deployments that share one Redis apart. */
  queuePrefix: string;
  /** A BullMQ job whose worker stops renewing its lock this long is handed to another worker. */
  queueStalledMs: number;
  llm: ServiceEndpoint | undefined;
  embeddings: ServiceEndpoint | undefined;
  reranker: ServiceEndpoint | undefined;
  llmOptions: {
    extraBody: Record<string, unknown>;
    /** NIM 1.x takes extra parameters inside `nvext`; NIM 2.x, vLLM and others at the top level. */
    extraBodyFormat: 'top-level' | 'nvext';
    firstTokenTimeoutMs: number;
    timeoutMs: number;
    /** The most tokens an answer may have: sent as max_tokens, and the ceiling of what a request may ask. */
    maxTokens: number;
  };
  embeddingOptions: { dimensions: number | undefined; batchSize: number };
  inferenceTimeoutMs: number;
  admin: { email: string | undefined; password: string | undefined; apiKey: string | undefined };
  slack: {
    botToken: string | undefined;
    appToken: string | undefined;
    signingSecret: string | undefined;
    apiUrl: string | undefined;
    defaultAssistant: string | undefined;
    /** Whether Slack guests (single- and multi-channel) are mapped to Tapeout users by email. */
    allowGuests: boolean;
  };
  /** OpenID Connect sign-in; undefined when OIDC_ISSUER_URL is not set. */
  oidc: OidcConfig | undefined;
  /** Whether people may sign in with a password (admins always may: the break-glass path). */
  passwordSignIn: boolean;
  /** The bearer token of the SCIM 2.0 API at /scim/v2; undefined turns the API off. */
  scimToken: string | undefined;
  /** Audit events older than this are deleted. */
  auditRetentionDays: number;
  /** Who may read /metrics besides admins' API keys: a bearer token for Prometheus; undefined allows admins only. */
  metricsToken: string | undefined;
  /** Where `tapeout worker` serves /metrics and /healthz; undefined serves nothing (the server uses PORT). */
  metricsPort: number | undefined;
  /** On SIGTERM, how long answers in flight may still run before they are cut off with a notice. */
  shutdownGraceMs: number;
  /** OpenTelemetry traces, exported over OTLP/HTTP when an endpoint is set. */
  tracing: { enabled: boolean; serviceName: string };
  /** Sources and their connectors: what they may reach and how much one sync may take. */
  sources: SourceLimits;
  /** Tapeout's MCP server (/mcp) and its OAuth authorization flow. */
  mcp: McpSettings;
  seedDemo: boolean;
  /** Whether chunks get a second vector from the bundled CPU sentence encoder (embedded mode only). */
  sentenceEncoder: boolean;
}

export interface SourceLimits {
  /** Encrypts sources' credentials; undefined refuses credentials. */
  credentialsKey: Buffer | undefined;
  /** Hosts a connector may reach although they resolve to a private or loopback address. */
  allowedHosts: string[];
  /** Directories under which file:// sources may read (their real paths, links resolved). */
  localRoots: string[];
  maxFileBytes: number;
  maxItems: number;
  maxSyncBytes: number;
  syncTimeoutMs: number;
  /** How often sources whose connector reads permissions (Confluence, SharePoint, Jira) re-read who may read each item. */
  permissionSyncMs: number;
  /** Where the git binary is looked up (PATH, the only variable a connector's processes get). */
  searchPath: string;
}

export interface McpSettings {
  /** A session unused this long is closed; the client opens a new one. */
  sessionIdleMs: number;
  maxSessionsPerUser: number;
  /** Origins besides PUBLIC_URL's whose browsers may call /mcp (MCP asks servers to check Origin). */
  allowedOrigins: string[];
  accessTokenSeconds: number;
  refreshTokenSeconds: number;
}

export interface OidcConfig {
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  groupsClaim: string;
  /** Lower-case domains an email must be in; undefined allows any. */
  allowedEmailDomains: string[] | undefined;
  buttonLabel: string;
  /** Members of this provider group are admins, everyone else a member; undefined leaves roles to Tapeout. */
  adminGroup: string | undefined;
}

function endpoint(baseUrls: string[] | undefined, model: string | undefined, apiKey: string | undefined): ServiceEndpoint | undefined {
  // The schema requires the model whenever the base URL is set.
  return baseUrls ? { baseUrls, model: model!, apiKey } : undefined;
}

/**
 * Parses and validates the environment once. Every problem is reported with the variable
 * it belongs to, so a bad deployment fails at start-up instead of on the first request.
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  // An empty value means "not set", as docker-compose and .env files write it.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = envSchema.safeParse(present);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`));
  }
  const e = result.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    uploadMaxBytes: e.UPLOAD_MAX_BYTES,
    uploadMaxRequestBytes: e.UPLOAD_MAX_REQUEST_BYTES,
    ingestion: { parseTimeoutMs: e.PARSE_TIMEOUT_MS, parseMemoryMb: e.PARSE_MEMORY_MB, stageTimeoutMs: e.INGEST_STAGE_TIMEOUT_MS },
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    trustProxy: e.TRUST_PROXY,
    signIn: { maxFailuresPerIp: e.SIGN_IN_MAX_FAILURES_PER_IP, maxFailuresPerAccount: e.SIGN_IN_MAX_FAILURES_PER_ACCOUNT },
    chat: {
      maxQuestionChars: e.CHAT_MAX_QUESTION_CHARS,
      maxMessages: e.CHAT_MAX_MESSAGES,
      maxHistoryChars: e.CHAT_MAX_HISTORY_CHARS,
      maxConcurrentAnswers: e.CHAT_MAX_CONCURRENT_ANSWERS,
      questionsPerMinute: e.CHAT_QUESTIONS_PER_MINUTE,
    },
    logLevel: e.LOG_LEVEL,
    databaseUrl: e.DATABASE_URL,
    embeddedDatabase: e.EMBEDDED_DATABASE,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    queueStalledMs: e.QUEUE_STALLED_MS,
    llm: endpoint(e.LLM_BASE_URL, e.LLM_MODEL, e.LLM_API_KEY),
    embeddings: endpoint(e.EMBEDDINGS_BASE_URL, e.EMBEDDINGS_MODEL, e.EMBEDDINGS_API_KEY),
    reranker: endpoint(e.RERANKER_BASE_URL, e.RERANKER_MODEL, e.RERANKER_API_KEY),
    llmOptions: {
      extraBody: e.LLM_EXTRA_BODY ?? {},
      extraBodyFormat: e.LLM_EXTRA_BODY_FORMAT,
      firstTokenTimeoutMs: e.LLM_FIRST_TOKEN_TIMEOUT_MS,
      timeoutMs: e.LLM_TIMEOUT_MS,
      maxTokens: e.LLM_MAX_TOKENS,
    },
    embeddingOptions: { dimensions: e.EMBEDDINGS_DIMENSIONS, batchSize: e.EMBEDDINGS_BATCH_SIZE },
    inferenceTimeoutMs: e.INFERENCE_TIMEOUT_MS,
    admin: { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD, apiKey: e.ADMIN_API_KEY },
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      appToken: e.SLACK_APP_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      apiUrl: e.SLACK_API_URL,
      defaultAssistant: e.SLACK_DEFAULT_ASSISTANT,
      allowGuests: e.SLACK_ALLOW_GUESTS,
    },
    oidc: e.OIDC_ISSUER_URL
      ? {
          issuerUrl: e.OIDC_ISSUER_URL,
          clientId: e.OIDC_CLIENT_ID!,
          clientSecret: e.OIDC_CLIENT_SECRET!,
          scopes: e.OIDC_SCOPES,
          groupsClaim: e.OIDC_GROUPS_CLAIM,
          allowedEmailDomains: e.OIDC_ALLOWED_EMAIL_DOMAINS?.length ? e.OIDC_ALLOWED_EMAIL_DOMAINS : undefined,
          buttonLabel: e.OIDC_BUTTON_LABEL,
          adminGroup: e.OIDC_ADMIN_GROUP,
        }
      : undefined,
    passwordSignIn: e.PASSWORD_SIGN_IN,
    scimToken: e.SCIM_TOKEN,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    metricsToken: e.METRICS_TOKEN,
    metricsPort: e.METRICS_PORT,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    tracing: {
      enabled: Boolean(e.OTEL_EXPORTER_OTLP_ENDPOINT ?? e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) && !e.OTEL_SDK_DISABLED,
      serviceName: e.OTEL_SERVICE_NAME,
    },
    sources: {
      credentialsKey: e.SOURCE_CREDENTIALS_KEY,
      allowedHosts: e.CONNECTOR_ALLOWED_HOSTS,
      // The demo's own repository (written under DATA_DIR on first start) is always readable.
      localRoots: [
        ...e.CONNECTOR_LOCAL_ROOTS.map((root) => path.resolve(root)),
        ...(e.SEED_DEMO ? [sampleRepositoriesDir(path.resolve(e.DATA_DIR))] : []),
      ],
      maxFileBytes: e.CONNECTOR_MAX_FILE_BYTES,
      maxItems: e.CONNECTOR_MAX_ITEMS,
      maxSyncBytes: e.CONNECTOR_MAX_SYNC_BYTES,
      syncTimeoutMs: e.CONNECTOR_SYNC_TIMEOUT_MS,
      permissionSyncMs: e.CONNECTOR_PERMISSION_SYNC_MINUTES * 60_000,
      searchPath: e.PATH,
    },
    mcp: {
      sessionIdleMs: e.MCP_SESSION_IDLE_MINUTES * 60_000,
      maxSessionsPerUser: e.MCP_MAX_SESSIONS_PER_USER,
      allowedOrigins: e.MCP_ALLOWED_ORIGINS,
      accessTokenSeconds: e.MCP_ACCESS_TOKEN_MINUTES * 60,
      refreshTokenSeconds: e.MCP_REFRESH_TOKEN_DAYS * 86_400,
    },
    seedDemo: e.SEED_DEMO,
    sentenceEncoder: e.SENTENCE_ENCODER === 'auto' && !e.EMBEDDINGS_BASE_URL,
  };
}

/** Reads `.env` from the working directory when present (real environment variables win), then parses. */
export function loadConfig(): Config {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return parseConfig(process.env);
}

/** Where the demo's Git repositories are written (a connector's local root when the demo is seeded). */
export const sampleRepositoriesDir = (dataDir: string) => path.join(dataDir, 'sample-repositories');
