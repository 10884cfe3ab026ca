import { z } from 'zod';

/** An empty string in the environment means "not set", as docker-compose and .env files write it. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const port = z.coerce.number().int().min(0).max(65535);

/**
 * One or more OpenAI-style base URLs, comma-separated (several replicas of one service).
 * Each must end in /v1, as OpenAI clients expect, so a missing or doubled /v1 is caught at start-up.
 */
const baseUrls = z
  .string()
  .transform((raw) => raw.split(',').map((part) => part.trim()).filter(Boolean))
  .pipe(
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

const postgresUrl = z
  .string()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), { message: 'must be a postgres:// or postgresql:// URL' });

const redisUrl = z
  .string()
  .refine((value) => /^rediss?:\/\//.test(value), { message: 'must be a redis:// or rediss:// URL' });

export const envSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  DATABASE_URL: optional(postgresUrl),
  REDIS_URL: optional(redisUrl),

  LLM_BASE_URL: optional(baseUrls),
  LLM_MODEL: optional(z.string().min(1)),
  LLM_API_KEY: optional(z.string().min(1)),
  EMBEDDINGS_BASE_URL: optional(baseUrls),
  EMBEDDINGS_MODEL: optional(z.string().min(1)),
  EMBEDDINGS_API_KEY: optional(z.string().min(1)),
  RERANKER_BASE_URL: optional(baseUrls),
  RERANKER_MODEL: optional(z.string().min(1)),
  RERANKER_API_KEY: optional(z.string().min(1)),

  ADMIN_EMAIL: optional(z.email({ message: 'must be an email address' })),
  ADMIN_PASSWORD: optional(z.string().min(12, 'must be at least 12 characters')),
  ADMIN_API_KEY: optional(z.string().min(24, 'must be at least 24 characters')),

  SLACK_BOT_TOKEN: optional(z.string().startsWith('xoxb-', 'must start with xoxb-')),
  SLACK_APP_TOKEN: optional(z.string().startsWith('xapp-', 'must start with xapp-')),
  SLACK_SIGNING_SECRET: optional(z.string().min(1)),
  SLACK_API_URL: optional(z.url()),
  SLACK_DEFAULT_ASSISTANT: optional(z.string().min(1)),

  SEED_DEMO: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('true')
    .transform((value) => value === 'true'),
});

export type Env = z.infer<typeof envSchema>;
