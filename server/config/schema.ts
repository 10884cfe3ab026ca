import { z } from 'zod';

const port = z.coerce.number({ message: 'must be a port number' }).int('must be a whole number').min(0).max(65535);

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

  DATABASE_URL: postgresUrl.optional(),
  REDIS_URL: redisUrl.optional(),
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only').default('tapeout'),

  LLM_BASE_URL: baseUrls.optional(),
  LLM_MODEL: z.string().min(1).optional(),
  LLM_API_KEY: z.string().min(1).optional(),
  EMBEDDINGS_BASE_URL: baseUrls.optional(),
  EMBEDDINGS_MODEL: z.string().min(1).optional(),
  EMBEDDINGS_API_KEY: z.string().min(1).optional(),
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

  SEED_DEMO: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('true')
    .transform((value) => value === 'true'),
});

export type Env = z.infer<typeof envSchema>;
