// One PostgreSQL server for a test run: the one named by DATABASE_URL, or an embedded one of our own.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { startEmbeddedPostgres } from '../../api/src/db/embedded.ts';
import { applyMigrations } from '../../api/src/db/migrate.ts';

export const testsRoot = fileURLToPath(new URL('..', import.meta.url));

export interface TestServer {
  /** URL of a database we may connect to for CREATE/DROP DATABASE. */
  adminUrl: string;
  kind: 'embedded' | 'external';
  stop(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const external = process.env.DATABASE_URL;
  if (external) return { adminUrl: external, kind: 'external', stop: async () => {} };
  const dataDir = path.join(testsRoot, '.tmp', `pg-${process.pid}-${randomBytes(3).toString('hex')}`);
  const server = await startEmbeddedPostgres({ dataDir, ephemeral: true });
  return {
    adminUrl: server.adminUrl,
    kind: 'embedded',
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
      await rm(`${dataDir}.password`, { force: true });
    },
  };
}

export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export const uniqueName = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;

/** A new database with a unique name (empty, or a copy of `template`); returns its name. */
export async function createDatabaseNamed(adminUrl: string, prefix: string, template?: string): Promise<string> {
  const name = uniqueName(prefix);
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(template ? `create database "${name}" template "${template}"` : `create database "${name}"`);
  } finally {
    await admin.end();
  }
  return name;
}

/** A migrated database that per-file test databases are cloned from (CREATE DATABASE … TEMPLATE). */
export async function createTemplateDatabase(adminUrl: string): Promise<string> {
  const name = await createDatabaseNamed(adminUrl, 'rs_tmpl');
  await applyMigrations(databaseUrl(adminUrl, name));
  return name;
}

export const cloneDatabase = (adminUrl: string, template: string, prefix = 'rs_test') => createDatabaseNamed(adminUrl, prefix, template);

export async function dropDatabases(adminUrl: string, names: string[]) {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    for (const name of names) await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}

/** Databases made by this run (prefix + run tag) are dropped at the end, also on an external server. */
export async function dropDatabasesLike(adminUrl: string, pattern: string) {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${pattern}`;
    for (const { datname } of rows) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
  } finally {
    await admin.end();
  }
}
