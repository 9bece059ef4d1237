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
