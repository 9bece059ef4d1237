// db:backup / db:restore: a round trip through pg_dump on the server of this run, and through the embedded
// server of a data directory of its own (running and stopped), with the refusals that protect data.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../api/src/app.ts';
import { createDatabase } from '../../api/src/db/client.ts';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedPostgresServer } from '../../api/src/db/embedded.ts';
import { applyMigrations, readMigrations } from '../../api/src/db/migrate.ts';
import { backup, dumpDatabase } from '../../api/src/ops/backup.ts';
import { listTools, ToolVersionError } from '../../api/src/ops/pg-tools.ts';
import { restore, restoreArchive, RestoreRefused } from '../../api/src/ops/restore.ts';
import { EMBEDDED_DATABASE, majorOf, serverVersionNum } from '../../api/src/ops/target.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { analyticsDefinition, generateAnalyticsData, insertAnalyticsData } from '../support/analytics-data.ts';
import { nps } from '../support/analytics-expect.ts';
import { databaseUrl, dropDatabases, testsRoot, uniqueName } from '../support/postgres.ts';
import { createTestApp } from '../support/test-db.ts';

const workDir = path.join(testsRoot, '.tmp', `ops-backup-${process.pid}-${randomBytes(3).toString('hex')}`);
mkdirSync(workDir, { recursive: true });
const { adminUrl } = inject('pg');
const dropLater: string[] = [];

afterAll(async () => {
  await dropDatabases(adminUrl, dropLater);
  rmSync(workDir, { recursive: true, force: true });
});

/** Rows per table of the application's schemas. */
async function rowCounts(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const tables = await sql<{ schemaname: string; tablename: string }[]>`
      select schemaname, tablename from pg_tables where schemaname in ('public', 'drizzle', 'pgboss') order by 1, 2`;
    const counts: Record<string, number> = {};
    for (const t of tables)
      counts[`${t.schemaname}.${t.tablename}`] = (await sql`select count(*)::int as n from ${sql(t.schemaname)}.${sql(t.tablename)}`)[0]!.n;
    return counts;
  } finally {
    await sql.end();
  }
}

// On this run's server (PostgreSQL of DATABASE_URL, or an embedded one): is there a pg_dump for it?
const serverMajor = majorOf(await serverVersionNum(adminUrl));
const pgDumpFits = listTools('pg_dump').some((tool) => tool.major >= serverMajor);

describe('pg_dump round trip on the server of this test run', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let survey: { id: string };
  const data = generateAnalyticsData(5, 120);
  beforeAll(async () => {
    t = await createTestApp();
    survey = await createSurvey(t.db, { name: 'Backup test', kind: 'post_rental', definition: analyticsDefinition });
    const version = await publishSurvey(t.db, survey.id);
    await insertAnalyticsData(t.sql, { surveyId: survey.id, versionId: version.id }, data);
  });
  const summary = async (request: typeof t.request) => (await (await request(`/api/analytics/summary?survey=${survey.id}&groupBy=branch`)).json()) as any;

  it.skipIf(pgDumpFits)('without a pg_dump as new as the server, names the versions instead of writing a file', async () => {
    const file = path.join(workDir, 'no-tool.dump');
    const failure = await dumpDatabase(t.url, file).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ToolVersionError);
    expect((failure as Error).message).toContain(`needs pg_dump of PostgreSQL ${serverMajor} or newer; found: `);
    for (const tool of listTools('pg_dump')) expect((failure as Error).message).toContain(tool.version);
    expect(existsSync(file)).toBe(false);
  });

  it.runIf(pgDumpFits)('restores into a new database with the same rows and figures; refuses to overwrite data without --force', async () => {
    const file = path.join(workDir, 'round-trip.dump');
    const made = await dumpDatabase(t.url, file);
    expect(made.format).toBe('custom');
    expect(made.schema).toContain(readMigrations().at(-1)!.file);

    const name = uniqueName('rs_restored');
    dropLater.push(name);
    const restored = await restoreArchive(file, adminUrl, name);
    expect(restored.kept).toBeUndefined();
    expect(restored.upgradedWith).toEqual([]);
    const url = databaseUrl(adminUrl, name);
    const before = await rowCounts(t.url);
    expect(before['public.answers']).toBeGreaterThan(500);
    expect(await rowCounts(url)).toEqual(before);

    // The same figures through the API on the restored copy (the session table came along, so the same cookie works).
    const copy = createDatabase(url, { max: 2 });
    try {
      const app = buildApp({ ...t.deps, db: copy.db, sql: copy.sql });
      const onCopy = (path: string) => app.request(path, { headers: t.admin!.headers });
      const original = await summary(t.request);
      expect(original.total.nps.n).toBeGreaterThan(50);
      expect(await summary(onCopy as typeof t.request)).toEqual(original);
      const finished = data.responses.filter((r) => r.status === 'finished' && r.answers.nps !== null);
      expect(original.total.nps.score).toBeCloseTo(nps(finished.map((r) => r.answers.nps!)).score, 9);
    } finally {
      await copy.sql.end({ timeout: 5 });
    }

    // Again into the now filled database: refused without force, and with force the old one is kept.
    await expect(restoreArchive(file, adminUrl, name)).rejects.toThrow(RestoreRefused);
    await expect(restoreArchive(file, adminUrl, name)).rejects.toThrow(/holds data \(\d+ tables, 5 branches, \d+ rentals, 120 responses\)\. Add --force/);
    // (reading the summary filled the copy's analytics cache tables, which the archive has empty)
    const replaced = await rowCounts(url);
    const again = await restoreArchive(file, adminUrl, name, { force: true, now: new Date('2026-08-01T12:00:00Z') });
    expect(again.kept).toBe(`${name}_before_restore_20260801_120000`.slice(0, 63));
    dropLater.push(again.kept!);
    expect(await rowCounts(databaseUrl(adminUrl, again.kept!))).toEqual(replaced);
    expect(await rowCounts(url)).toEqual(before);
  });

  it.runIf(pgDumpFits)('refuses a dump of a database migrated by a newer version, and leaves no database behind', async () => {
    const newest = readMigrations().at(-1)!;
    await t.sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-a-newer-version', ${newest.when + 60_000})`;
    const file = path.join(workDir, 'newer.dump');
    await dumpDatabase(t.url, file);
    const name = uniqueName('rs_newer');
    dropLater.push(name);
    await expect(restoreArchive(file, adminUrl, name)).rejects.toThrow(
      /this backup was made by a newer version \(1 migration this version does not ship.*restore it with that version\./,
    );
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    try {
      expect(await admin`select datname from pg_database where datname like ${`${name}%`}`).toEqual([]);
    } finally {
      await admin.end();
    }
  });
});

describe('the embedded server of npm start (a data directory of its own)', () => {
  const dataDir = path.join(workDir, 'pg');
  const env = { ...process.env, DATABASE_URL: '', PG_DATA_DIR: dataDir };
  let server: EmbeddedPostgresServer | undefined;
  let appUrl: string;
  let expectedNps: number;

  const start = async () => {
    server = await startEmbeddedPostgres({ dataDir });
    appUrl = await ensureDatabase(server.adminUrl, EMBEDDED_DATABASE);
  };
  const stop = async () => {
    await server?.stop();
    server = undefined;
  };
  const npsInDatabase = async () => {
    const sql = postgres(appUrl, { max: 1, onnotice: () => {} });
    try {
      const rows = await sql<
        { v: number }[]
      >`select a.value_number as v from answers a join responses r on r.id = a.response_id where a.question_id = 'q_nps' and r.status = 'finished'`;
      return nps(rows.map((r) => r.v)).score;
    } finally {
      await sql.end();
    }
  };

  beforeAll(async () => {
    await start();
    await applyMigrations(appUrl);
    const { db, sql } = createDatabase(appUrl, { max: 2 });
    try {
      const survey = await createSurvey(db, { name: 'Embedded backup', kind: 'post_rental', definition: analyticsDefinition });
      const version = await publishSurvey(db, survey.id);
      const data = generateAnalyticsData(9, 80);
      await insertAnalyticsData(sql, { surveyId: survey.id, versionId: version.id }, data);
      expectedNps = nps(data.responses.filter((r) => r.status === 'finished' && r.answers.nps !== null).map((r) => r.answers.nps!)).score;
    } finally {
      await sql.end({ timeout: 5 });
    }
  });
  afterAll(stop);

  it('backs up while it runs and while it is stopped; a restore brings back exactly the backed-up rows', async () => {
    const counts = await rowCounts(appUrl);
    expect(await npsInDatabase()).toBeCloseTo(expectedNps, 9);

    // Running (as while npm start runs): found through its postmaster.pid.
    const online = path.join(workDir, 'online.backup');
    const made = await backup(online, env);
    expect(made.schema).toContain(readMigrations().at(-1)!.file);
    // Changes after the backup, which the restore must undo.
    const sql = postgres(appUrl, { max: 1, onnotice: () => {} });
    await sql`delete from answers where question_id = 'q_nps'`;
    await sql.end();
    await stop();

    // A file-level backup replaces the whole directory: stopped server and --force required.
    if (made.format === 'physical') {
      await expect(restore(online, { env })).rejects.toThrow(/Add --force/);
    }
    const restored = await restore(online, { env, force: true, now: new Date('2026-08-02T08:00:00Z') });
    expect(restored.upgradedWith).toEqual([]);
    await start();
    expect(await rowCounts(appUrl)).toEqual(counts);
    expect(await npsInDatabase()).toBeCloseTo(expectedNps, 9);
    await stop();

    // Stopped (npm start not running): the script starts what it needs and leaves the server stopped.
    const offline = path.join(workDir, 'offline.backup');
    await backup(offline, env);
    expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);
    await restore(offline, { env, force: true, now: new Date('2026-08-02T09:00:00Z') });
    await start();
    expect(await rowCounts(appUrl)).toEqual(counts);
    // An existing file is never overwritten.
    await expect(backup(offline, env)).rejects.toThrow(/exists already/);
  });

  it('refuses a backup made by a newer version', async () => {
    if (!server) await start();
    const newest = readMigrations().at(-1)!;
    const sql = postgres(appUrl, { max: 1, onnotice: () => {} });
    await sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-a-newer-version', ${newest.when + 60_000})`;
    await sql.end();
    const file = path.join(workDir, 'newer.backup');
    await backup(file, env);
    await stop();
    await expect(restore(file, { env, force: true })).rejects.toThrow(/this backup was made by a newer version.*restore it with that version\./);
  });
});
