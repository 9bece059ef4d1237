import { z } from 'zod';

// Checked once at start-up so a typo fails loudly instead of half-working.
const booleanFromString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  // Base of links sent to customers; defaults to http://localhost:PORT.
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  PG_DATA_DIR: z.string().default('./data/pg'),
  PG_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  DEMO_DATA: booleanFromString.default(true),
  COMPANY_TIME_ZONE: z.string().default('Asia/Shanghai'),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Customer Care <survey@localhost>'),
  SMS_PROVIDER_URL: z.url().optional(),
  SMS_PROVIDER_SECRET: z.string().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  // Distribution. The secret survey-link tokens are derived from (at least 32 characters); `npm start`
  // keeps one in the data directory when it is not set.
  TOKEN_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  SMS_PROVIDER: z.enum(['webhook']).default('webhook'),
  // Messages handed over per second and channel (per worker process).
  EMAIL_RATE_PER_SECOND: z.coerce.number().positive().default(20),
  SMS_RATE_PER_SECOND: z.coerce.number().positive().default(5),
  // Run the sending / import worker inside the server process (false: run api/src/queue/worker.main.ts separately).
  DISTRIBUTION_WORKER: booleanFromString.default(true),
  SEND_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  SEND_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).default(5),
  SEND_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).default(30),
  // A send job running longer than this is taken as crashed and retried (its hand-over is not repeated).
  SEND_JOB_EXPIRE_SECONDS: z.coerce.number().int().min(1).default(300),
  QUEUE_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).default(30),
  QUEUE_POLL_MS: z.coerce.number().int().min(50).default(1000),
  IMPORT_DIR: z.string().default('./data/imports'),
  // The first administrator, created at start when there is none; otherwise a one-time setup link is printed.
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(10, 'at least 10 characters').optional(),
  // Staff sessions end after this many hours without use.
  SESSION_IDLE_HOURS: z.coerce.number().positive().default(12),
  // Customers' personal data is erased this many days after their last rental (0 = never).
  PERSONAL_DATA_RETENTION_DAYS: z.coerce.number().int().min(0).default(730),
  // Survey-link endpoints (/api/respond/<token>…): requests allowed per window, per token and per client address.
  RESPOND_RATE_PER_TOKEN: z.coerce.number().int().min(1).default(60),
  RESPOND_RATE_PER_IP: z.coerce.number().int().min(1).default(300),
  RESPOND_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
});

export type Env = z.infer<typeof envSchema>;

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  return result.data;
}
