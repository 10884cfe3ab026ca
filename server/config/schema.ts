import { z } from 'zod';

const port = z.coerce.number({ message: 'must be a port number' }).int('must be a whole number').min(0).max(65535);

/** A comma-separated list, its items trimmed, empty ones dropped. */
const commaList = z.string().transform((raw) =>
  raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean),
);

/**
 * One or more OpenAI-style base URLs, comma-separated (several replicas of one service).
 * Each must end in /v1, as OpenAI clients expect, so a missing or doubled /v1 is caught at start-up.
 */
const baseUrls = commaList.pipe(
  z
    .array(
      z
        .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
        .refine((url) => new URL(url).pathname.replace(/\/+$/, '').endsWith('/v1'), {
          message: 'must end with /v1, for example http://nim-llm:8000/v1',
        })
        .transform((url) => url.replace(/\/+$/, '')),
    )
    .min(1, 'must name at least one URL'),
);

const count = (what: string) => z.coerce.number({ message: `must be a number of ${what}` }).int('must be a whole number');

const postgresUrl = z
  .string()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), { message: 'must be a postgres:// or postgresql:// URL' });

const redisUrl = z.string().refine((value) => /^rediss?:\/\//.test(value), { message: 'must be a redis:// or rediss:// URL' });

export const envSchema = z
  .object({
    PORT: port.default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATA_DIR: z.string().min(1).default('./data'),
    UPLOAD_MAX_BYTES: z.coerce
      .number({ message: 'must be a number of bytes' })
      .int()
      .min(1024)
      .default(100 * 1024 * 1024),
    UPLOAD_MAX_REQUEST_BYTES: count('bytes')
      .min(1024)
      .default(1024 * 1024 * 1024),
    PARSE_TIMEOUT_MS: z.coerce.number({ message: 'must be a number of milliseconds' }).int().min(100).default(120_000),
    PARSE_MEMORY_MB: z.coerce
      .number({ message: 'must be a number of megabytes' })
      .int()
      .min(128, 'must be at least 128 (a parser thread needs that much to start)')
      .default(512),
    INGEST_STAGE_TIMEOUT_MS: z.coerce.number({ message: 'must be a number of milliseconds' }).int().min(1000).default(600_000),
    PUBLIC_URL: z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
    SESSION_TTL_HOURS: z.coerce
      .number({ message: 'must be a number of hours' })
      .int()
      .min(1)
      .max(24 * 90)
      .default(24 * 7),
    TRUST_PROXY: z
      .enum(['true', 'false'], { message: 'must be true or false' })
      .default('false')
      .transform((value) => value === 'true'),
    SIGN_IN_MAX_FAILURES_PER_IP: count('attempts').min(1).default(10),
    SIGN_IN_MAX_FAILURES_PER_ACCOUNT: count('attempts').min(1).default(5),

    CHAT_MAX_QUESTION_CHARS: count('characters').min(100).max(200_000).default(8000),
    CHAT_MAX_MESSAGES: count('messages').min(1).max(10_000).default(200),
    CHAT_MAX_HISTORY_CHARS: count('characters').min(1000).max(1_000_000).default(200_000),
    CHAT_MAX_CONCURRENT_ANSWERS: count('answers').min(1).default(3),
    CHAT_QUESTIONS_PER_MINUTE: count('questions').min(1).default(20),

    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

    DATABASE_URL: postgresUrl.optional(),
    EMBEDDED_DATABASE: z.enum(['process', 'in-process'], { message: 'must be process or in-process' }).default('process'),
    REDIS_URL: redisUrl.optional(),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only')
      .default('tapeout'),
    QUEUE_STALLED_MS: z.coerce.number({ message: 'must be a number of milliseconds' }).int().min(1000).default(30_000),

    LLM_BASE_URL: baseUrls.optional(),
    LLM_MODEL: z.string().min(1).optional(),
    LLM_API_KEY: z.string().min(1).optional(),
    LLM_EXTRA_BODY: z
      .string()
      .transform((raw, ctx) => {
        try {
          const value: unknown = JSON.parse(raw);
          if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
        } catch {
          // reported below
        }
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object, for example {"repetition_penalty":1.1}' });
        return z.NEVER;
      })
      .optional(),
    LLM_EXTRA_BODY_FORMAT: z.enum(['top-level', 'nvext']).default('top-level'),
    LLM_FIRST_TOKEN_TIMEOUT_MS: z.coerce.number({ message: 'must be a number' }).int().min(100).default(30_000),
    LLM_MAX_TOKENS: count('tokens').min(16).max(1_000_000).default(2048),
    LLM_TIMEOUT_MS: z.coerce.number({ message: 'must be a number' }).int().min(100).default(120_000),
    INFERENCE_TIMEOUT_MS: z.coerce.number({ message: 'must be a number' }).int().min(100).default(30_000),
    EMBEDDINGS_BASE_URL: baseUrls.optional(),
    EMBEDDINGS_MODEL: z.string().min(1).optional(),
    EMBEDDINGS_API_KEY: z.string().min(1).optional(),
    EMBEDDINGS_DIMENSIONS: z.coerce.number({ message: 'must be a number' }).int().min(32).max(8192).optional(),
    EMBEDDINGS_BATCH_SIZE: z.coerce.number({ message: 'must be a number' }).int().min(1).max(2048).default(32),
    SENTENCE_ENCODER: z.enum(['auto', 'off'], { message: 'must be auto or off' }).default('auto'),
    RERANKER_BASE_URL: baseUrls.optional(),
    RERANKER_MODEL: z.string().min(1).optional(),
    RERANKER_API_KEY: z.string().min(1).optional(),

    ADMIN_EMAIL: z.email({ message: 'must be an email address' }).optional(),
    ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
    ADMIN_API_KEY: z.string().min(24, 'must be at least 24 characters').optional(),

    SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'must start with xoxb-').optional(),
    SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'must start with xapp-').optional(),
    SLACK_SIGNING_SECRET: z.string().min(1).optional(),
    SLACK_API_URL: z.url().optional(),
    SLACK_DEFAULT_ASSISTANT: z.string().min(1).optional(),
    SLACK_ALLOW_GUESTS: z
      .enum(['true', 'false'], { message: 'must be true or false' })
      .default('false')
      .transform((value) => value === 'true'),

    OIDC_ISSUER_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_SCOPES: z
      .string()
      .default('openid email profile')
      .transform((raw) => raw.split(/[\s,]+/).filter(Boolean))
      .refine((scopes) => scopes.includes('openid'), { message: 'must include openid' }),
    OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
    OIDC_ALLOWED_EMAIL_DOMAINS: z
      .string()
      .transform((raw) =>
        raw
          .split(',')
          .map((domain) => domain.trim().toLowerCase().replace(/^@/, ''))
          .filter(Boolean),
      )
      .optional(),
    OIDC_BUTTON_LABEL: z.string().min(1).max(80).default('Sign in with SSO'),
    OIDC_ADMIN_GROUP: z.string().min(1).optional(),
    PASSWORD_SIGN_IN: z
      .enum(['true', 'false'], { message: 'must be true or false' })
      .default('true')
      .transform((value) => value === 'true'),
    SCIM_TOKEN: z.string().min(32, 'must be at least 32 characters (a long random secret)').optional(),
    AUDIT_RETENTION_DAYS: count('days').min(1).max(36_500).default(365),

    METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters (a long random secret)').optional(),
    METRICS_PORT: port.optional(),
    SHUTDOWN_GRACE_MS: z.coerce.number({ message: 'must be a number of milliseconds' }).int().min(0).max(600_000).default(20_000),
    // OpenTelemetry's standard variables; the exporter reads the rest of OTEL_EXPORTER_OTLP_* itself.
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
    OTEL_SERVICE_NAME: z.string().min(1).default('tapeout'),
    OTEL_SDK_DISABLED: z
      .enum(['true', 'false'], { message: 'must be true or false' })
      .default('false')
      .transform((value) => value === 'true'),

    SOURCE_CREDENTIALS_KEY: z
      .string()
      .transform((raw, ctx) => {
        const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
        if (key.length === 32) return key;
        ctx.addIssue({ code: 'custom', message: 'must be 32 random bytes, as 64 hex digits or base64 (openssl rand -base64 32)' });
        return z.NEVER;
      })
      .optional(),
    CONNECTOR_ALLOWED_HOSTS: commaList.transform((hosts) => hosts.map((host) => host.toLowerCase())).default([]),
    CONNECTOR_LOCAL_ROOTS: commaList
      .pipe(z.array(z.string().refine((root) => root.startsWith('/'), { message: 'each root must be an absolute path' })))
      .default([]),
    CONNECTOR_MAX_FILE_BYTES: count('bytes')
      .min(1024)
      .default(10 * 1024 * 1024),
    CONNECTOR_MAX_ITEMS: count('items').min(1).default(20_000),
    CONNECTOR_MAX_SYNC_BYTES: count('bytes')
      .min(1024)
      .default(2 * 1024 * 1024 * 1024),
    CONNECTOR_PERMISSION_SYNC_MINUTES: z.coerce
      .number({ message: 'must be a number of minutes' })
      .int()
      .min(1, 'must be at least 1 minute')
      .max(1440, 'must be at most 1440 minutes (a day)')
      .default(10),
    CONNECTOR_SYNC_TIMEOUT_MS: z.coerce.number({ message: 'must be a number of milliseconds' }).int().min(1000).default(3_600_000),
    PATH: z.string().default('/usr/local/bin:/usr/bin:/bin'),

    MCP_SESSION_IDLE_MINUTES: z.coerce.number({ message: 'must be a number of minutes' }).int().min(1).max(1440).default(30),
    MCP_MAX_SESSIONS_PER_USER: count('sessions').min(1).max(1000).default(20),
    MCP_ALLOWED_ORIGINS: commaList
      .pipe(z.array(z.url({ protocol: /^https?$/, message: 'each origin must be an http(s) URL' }).transform((url) => new URL(url).origin)))
      .default([]),
    MCP_ACCESS_TOKEN_MINUTES: z.coerce.number({ message: 'must be a number of minutes' }).int().min(5).max(1440).default(60),
    MCP_REFRESH_TOKEN_DAYS: z.coerce.number({ message: 'must be a number of days' }).int().min(1).max(365).default(30),

    SEED_DEMO: z
      .enum(['true', 'false'], { message: 'must be true or false' })
      .default('true')
      .transform((value) => value === 'true'),
  })
  .superRefine((env, ctx) => {
    if (env.SLACK_BOT_TOKEN && !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message: 'is required with SLACK_BOT_TOKEN unless SLACK_APP_TOKEN selects Socket Mode',
      });
    }
    if (env.CHAT_MAX_QUESTION_CHARS > env.CHAT_MAX_HISTORY_CHARS) {
      ctx.addIssue({ code: 'custom', path: ['CHAT_MAX_HISTORY_CHARS'], message: 'must be at least CHAT_MAX_QUESTION_CHARS' });
    }
    if (env.UPLOAD_MAX_BYTES > env.UPLOAD_MAX_REQUEST_BYTES) {
      ctx.addIssue({ code: 'custom', path: ['UPLOAD_MAX_REQUEST_BYTES'], message: 'must be at least UPLOAD_MAX_BYTES' });
    }
    if (env.OIDC_ISSUER_URL && (!env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.OIDC_CLIENT_ID ? 'OIDC_CLIENT_SECRET' : 'OIDC_CLIENT_ID'],
        message: 'is required when OIDC_ISSUER_URL is set',
      });
    }
    if (env.OIDC_ISSUER_URL && !isHttpsOrLoopback(env.OIDC_ISSUER_URL)) {
      ctx.addIssue({ code: 'custom', path: ['OIDC_ISSUER_URL'], message: 'must be https (plain http only on localhost, for development)' });
    }
    if (!env.PASSWORD_SIGN_IN && !env.OIDC_ISSUER_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['PASSWORD_SIGN_IN'],
        message: 'can be false only when OIDC_ISSUER_URL offers another way to sign in',
      });
    }
    for (const service of ['LLM', 'EMBEDDINGS', 'RERANKER'] as const) {
      if (env[`${service}_BASE_URL`] && !env[`${service}_MODEL`]) {
        ctx.addIssue({ code: 'custom', path: [`${service}_MODEL`], message: `is required when ${service}_BASE_URL is set` });
      }
    }
  });

export type Env = z.infer<typeof envSchema>;

/** Whether a URL is https, or plain http on this machine (a provider in development or tests). */
export function isHttpsOrLoopback(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(hostname);
}
