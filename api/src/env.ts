import { z } from 'zod';
import { parseTrustProxy } from './lib/client-address.ts';
import { allowListProblem } from './access/webhooks.destination.ts';

// Checked once at start-up so a typo fails loudly instead of half-working.
const booleanFromString = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

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
  // A streaming replica of DATABASE_URL for analytics and exports (reads only); unset: the primary.
  DATABASE_READ_URL: z
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
  // Run the background workers (sending, imports, cases, retention, webhooks) inside the server process.
  // false: an app process that only serves requests; run api/src/queue/worker.main.ts processes beside it.
  WORKERS: booleanFromString.default(true),
  // With WORKERS=true: false leaves out only the sending / import worker (run worker.main.ts for it).
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
  // Webhooks post to https only, and never to loopback, private, link-local or metadata addresses. Plain
  // http can be switched on, and receivers inside the company network listed (host names, IPs, CIDRs).
  WEBHOOK_ALLOW_HTTP: booleanFromString.default(false),
  WEBHOOK_ALLOWED_HOSTS: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      const problem = value ? allowListProblem(value) : null;
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  // Survey-link endpoints (/api/respond/<token>…): requests allowed per window and token, and requests for
  // unknown links (answered 404) allowed per window and client address.
  RESPOND_RATE_PER_TOKEN: z.coerce.number().int().min(1).default(60),
  RESPOND_RATE_PER_IP: z.coerce.number().int().min(1).default(300),
  RESPOND_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  // Proxies in front of the server whose X-Forwarded-For entries are believed: a hop count, or a
  // comma-separated list of addresses / CIDR ranges ("loopback", "private" name the usual ones). Default: none.
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((value, ctx) => {
      try {
        return parseTrustProxy(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  // Largest request bodies, in bytes, answered 413 beyond: JSON API calls, survey-link answers, CSV uploads.
  JSON_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  RESPOND_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(256 * 1024),
  UPLOAD_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(200 * 1024 * 1024),
  // An upload is refused unless this much disk stays free beside IMPORT_DIR after it.
  UPLOAD_MIN_FREE_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(512 * 1024 * 1024),
  // Sign-in: wrong passwords for one account from one address before that pair waits LOGIN_LOCK_MINUTES;
  // failed sign-ins from one address (any account) before it waits, except for accounts that signed in from
  // there before; wrong passwords for one account from anywhere before the account itself is locked.
  LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS: z.coerce.number().int().min(1).default(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(50),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(50),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).default(15),
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
