// Migrations run all-or-nothing, can be tried in a rolled-back transaction, and refuse a database that a
// newer version of the application has already migrated.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { applyMigrations, migrationsFolder, MigrationError, NewerSchemaError, readMigrations } from '../../api/src/db/migrate.ts';
import { createDatabaseNamed, databaseUrl, dropDatabases } from '../support/postgres.ts';

const { adminUrl } = inject('pg');
const created: string[] = [];
const folders: string[] = [];

afterAll(async () => {
  await dropDatabases(adminUrl, created);
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

async function emptyDatabase() {
  const name = await createDatabaseNamed(adminUrl, 'rs_migr');
  created.push(name);
  return databaseUrl(adminUrl, name);
}

/** A copy of the shipped migrations with the journal cut to the first `keep` entries, plus extra files. */
function migrationsCopy(keep: number, extra: { tag: string; sql: string; when?: number }[] = []) {
  const folder = mkdtempSync(path.join(tmpdir(), 'rs-migrations-'));
  folders.push(folder);
  cpSync(migrationsFolder, folder, { recursive: true });
  const journalPath = path.join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8'));
  journal.entries = journal.entries.slice(0, keep);
  for (const file of extra) {
    const last = journal.entries.at(-1);
    journal.entries.push({ idx: journal.entries.length, version: '7', when: file.when ?? last.when + 1000, tag: file.tag, breakpoints: true });
    writeFileSync(path.join(folder, `${file.tag}.sql`), file.sql);
  }
  writeFileSync(journalPath, JSON.stringify(journal, null, 2));
  return folder;
}

async function inspect(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [migrationsTable] = await sql`select to_regclass('drizzle.__drizzle_migrations') as name`;
    const applied = migrationsTable?.name
      ? (await sql`select hash, created_at from drizzle.__drizzle_migrations order by id`).map((r) => `${r.hash}:${r.created_at}`)
      : [];
    const tables = (await sql`select schemaname || '.' || tablename as name from pg_tables where schemaname in ('public', 'pgboss') order by 1`).map(
      (r) => r.name as string,
    );
    const columns = (await sql`select table_name || '.' || column_name as name from information_schema.columns where table_schema = 'public' order by 1`).map(
      (r) => r.name as string,
    );
    return { applied, tables, columns };
  } finally {
    await sql.end();
  }
}

const shipped = readMigrations();

describe('migrations', () => {
  it('apply every pending migration in one transaction: a broken file leaves the database exactly as it was and is named', async () => {
    const url = await emptyDatabase();
    const half = Math.floor(shipped.length / 2);
    await applyMigrations(url, { folder: migrationsCopy(half) });
    const before = await inspect(url);
    expect(before.applied).toHaveLength(half);

    // The later shipped migrations are pending, then a file whose first statement works and second fails.
    const broken = migrationsCopy(shipped.length, [
      { tag: '9999_broken_upgrade', sql: 'CREATE TABLE "upgrade_probe" (id int);\n--> statement-breakpoint\nALTER TABLE "no_such_table" ADD COLUMN "x" int;' },
    ]);
    const failure = await applyMigrations(url, { folder: broken }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as Error).message).toMatch(/Migration 9999_broken_upgrade\.sql failed at statement 2 of 2 \(SQLSTATE 42P01\)/);
    expect((failure as Error).message).toMatch(/no_such_table/);
    expect((failure as Error).message).toContain(`the ${shipped.length - half + 1} pending migrations ran in one transaction`);

    const after = await inspect(url);
    expect(after).toEqual(before); // no table, column or migration row of the pending files, nor the probe table
    expect(after.tables).not.toContain('public.upgrade_probe');

    // Once the broken file is gone, the same pending migrations apply.
    const result = await applyMigrations(url);
    expect(result.applied).toEqual(shipped.slice(half).map((m) => m.file));
    expect((await inspect(url)).applied).toHaveLength(shipped.length);
  });

  it('a dry run applies the pending migrations in a transaction and rolls them back', async () => {
    const url = await emptyDatabase();
    const before = await inspect(url);
    const dry = await applyMigrations(url, { dryRun: true });
    expect(dry).toEqual({ applied: shipped.map((m) => m.file), dryRun: true });
    expect(await inspect(url)).toEqual(before);
    expect(before.tables).toEqual([]);

    // A dry run reports a broken file the same way, and leaves nothing either.
    const broken = migrationsCopy(shipped.length, [{ tag: '9999_broken', sql: 'SELECT no_such_function();' }]);
    await expect(applyMigrations(url, { folder: broken, dryRun: true })).rejects.toThrow(/Migration 9999_broken\.sql failed at statement 1/);
    expect(await inspect(url)).toEqual(before);

    const real = await applyMigrations(url);
    expect(real.applied).toHaveLength(shipped.length);
    expect(await applyMigrations(url, { dryRun: true })).toEqual({ applied: [], dryRun: true });
  });

  it('refuses, before touching anything, a migration PostgreSQL cannot run inside a transaction', async () => {
    const url = await emptyDatabase();
    const folder = migrationsCopy(shipped.length, [
      { tag: '9999_concurrent_index', sql: 'CREATE INDEX CONCURRENTLY "rentals_amount_idx" ON "rentals" ("amount");' },
    ]);
    await expect(applyMigrations(url, { folder })).rejects.toThrow(
      /Migration 9999_concurrent_index\.sql holds a statement PostgreSQL cannot run inside a transaction/,
    );
    expect((await inspect(url)).tables).toEqual([]);
  });

  it('refuses to start on a database migrated by a newer version, and says what to do', async () => {
    const url = await emptyDatabase();
    await applyMigrations(url);
    const newest = shipped.at(-1)!;
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      // What a newer version leaves behind: its migration recorded after ours.
      await sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('f'::text || repeat('0', 63), ${newest.when + 86_400_000})`;
      await sql`create table "from_the_future" (id int)`;
    } finally {
      await sql.end();
    }
    const before = await inspect(url);
    const failure = await applyMigrations(url).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(NewerSchemaError);
    const message = (failure as Error).message;
    expect(message).toContain('the database was upgraded by a newer version (1 migration this version does not ship');
    expect(message).toContain(new Date(newest.when + 86_400_000).toISOString().replace('.000Z', 'Z'));
    expect(message).toContain(`this version's newest is ${newest.file}`);
    expect(message).toMatch(/run that version or restore a backup\.$/);
    expect(await inspect(url)).toEqual(before);
    // A dry run says the same.
    await expect(applyMigrations(url, { dryRun: true })).rejects.toBeInstanceOf(NewerSchemaError);
  });

  it('a database migrated by an older version is brought up to date (only the newer files run)', async () => {
    const url = await emptyDatabase();
    await applyMigrations(url, { folder: migrationsCopy(shipped.length - 2) });
    const result = await applyMigrations(url);
    expect(result.applied).toEqual(shipped.slice(-2).map((m) => m.file));
    const { applied } = await inspect(url);
    expect(applied).toEqual(shipped.map((m) => `${m.hash}:${m.when}`));
  });
});
