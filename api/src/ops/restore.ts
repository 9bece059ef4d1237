// `npm run db:restore FILE [--force]`: restores a backup of db:backup into the application's database.
// A custom-format archive is restored into a new database beside the current one, upgraded with this
// version's migrations, and only then swapped in under the application's database name (the previous
// database is kept, renamed): a failed restore leaves the current database as it was.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyMigrations, assertSchemaNotNewer, readMigrations } from '../db/migrate.ts';
import { archiveDumpMajor, backupFormatOf, describeSchema, readArchiveMigrations } from './dump-file.ts';
import { physicalRestore, readPhysicalManifest } from './physical.ts';
import { connectionFor, findTool, runTool } from './pg-tools.ts';
import { databaseExists, findRunningEmbedded, openTarget, withDatabase, withSql } from './target.ts';

export interface RestoreOptions {
  /** Replace a database that holds data (it is kept under another name). */
  force?: boolean;
  env?: NodeJS.ProcessEnv;
  now?: Date;
}

export interface RestoreResult {
  database: string;
  /** Where the replaced database (or data directory) was kept. */
  kept?: string;
  format: 'custom' | 'physical';
  schema: string;
  /** Migrations of this version applied on top of the backup. */
  upgradedWith: string[];
}

const stampOf = (date: Date) => date.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '_').toLowerCase();
const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export class RestoreRefused extends Error {
  override name = 'RestoreRefused';
}

/** Tables of the application's schemas and the rows of a few central ones, or undefined when there are none. */
async function describeContents(url: string): Promise<string | undefined> {
  return withSql(url, async (sql) => {
    const [{ tables }] = (await sql`select count(*)::int as tables from pg_tables where schemaname in ('public', 'drizzle', 'pgboss')`) as unknown as [
      { tables: number },
    ];
    if (tables === 0) return undefined;
    const counts: string[] = [];
    for (const table of ['branches', 'rentals', 'responses']) {
      const [present] = await sql`select to_regclass(${`public.${table}`}) as name`;
      if (present?.name) counts.push(`${(await sql`select count(*)::int as n from ${sql(table)}`)[0]!.n} ${table}`);
    }
    return `${tables} tables${counts.length ? `, ${counts.join(', ')}` : ''}`;
  });
}

/** pg_restore of a custom-format archive into `databaseName` on the server of `maintenanceUrl`. */
export async function restoreArchive(file: string, maintenanceUrl: string, databaseName: string, options: RestoreOptions = {}): Promise<RestoreResult> {
  const env = options.env ?? process.env;
  const known = readMigrations();
  const recorded = await readArchiveMigrations(file, env);
  if (recorded.length === 0) throw new RestoreRefused(`${file} records no migrations of this application: not one of its backups.`);
  assertSchemaNotNewer(recorded, known, 'backup');

  const targetUrl = withDatabase(maintenanceUrl, databaseName);
  const exists = await databaseExists(maintenanceUrl, databaseName);
  const contents = exists ? await describeContents(targetUrl) : undefined;
  if (contents && !options.force) {
    throw new RestoreRefused(
      `The database ${databaseName} holds data (${contents}). Add --force to replace it; the current one is then kept under another name.`,
    );
  }

  const stamp = stampOf(options.now ?? new Date());
  const staging = `${databaseName}_restore_${stamp}`.slice(0, 63);
  const stagingUrl = withDatabase(maintenanceUrl, staging);
  const tool = findTool('pg_restore', archiveDumpMajor(file) ?? 0, `Restoring ${path.basename(file)}`, env);
  await withSql(maintenanceUrl, (sql) => sql.unsafe(`create database ${quoteIdent(staging)}`));
  let upgradedWith: string[];
  try {
    const { dbname, env: connectionEnv } = connectionFor(stagingUrl);
    await runTool(tool.path, ['--exit-on-error', '--no-owner', '--no-privileges', `--dbname=${dbname}`, file], connectionEnv);
    upgradedWith = (await applyMigrations(stagingUrl)).applied;
  } catch (error) {
    await withSql(maintenanceUrl, (sql) => sql.unsafe(`drop database if exists ${quoteIdent(staging)} with (force)`)).catch(() => {});
    throw error;
  }

  let kept: string | undefined;
  await withSql(maintenanceUrl, async (sql) => {
    if (exists) {
      kept = `${databaseName}_before_restore_${stamp}`.slice(0, 63);
      // A running application reconnects at once: end its sessions and rename right after, a few times if need be.
      for (let attempt = 1; ; attempt++) {
        await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${databaseName} and pid <> pg_backend_pid()`;
        try {
          await sql.unsafe(`alter database ${quoteIdent(databaseName)} rename to ${quoteIdent(kept)}`);
          break;
        } catch (error) {
          if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    }
    await sql.unsafe(`alter database ${quoteIdent(staging)} rename to ${quoteIdent(databaseName)}`);
  });
  return { database: databaseName, kept, format: 'custom', schema: describeSchema(recorded, known), upgradedWith };
}

/** Restores a backup into the application's database the way the environment configures it (see target.ts). */
export async function restore(file: string, options: RestoreOptions = {}): Promise<RestoreResult> {
  const env = options.env ?? process.env;
  if (!existsSync(file)) throw new Error(`${file} does not exist.`);
  const format = backupFormatOf(file);

  if (format === 'physical') {
    if (env.DATABASE_URL) throw new RestoreRefused(`${file} is a file-level backup of the embedded PostgreSQL; it cannot be restored into DATABASE_URL.`);
    const manifest = readPhysicalManifest(file);
    const known = readMigrations();
    assertSchemaNotNewer(manifest.migrations, known, 'backup');
    const located = await openTarget({ env, startEmbedded: false });
    const dataDir = located.dataDir!;
    if (findRunningEmbedded(dataDir))
      throw new RestoreRefused(`The embedded PostgreSQL of ${dataDir} is running: stop \`npm start\` first, then restore this file-level backup.`);
    if (!options.force)
      throw new RestoreRefused(
        `Restoring ${file} replaces the whole embedded data directory ${dataDir}. Add --force to go on; the current one is then kept beside it.`,
      );
    const kept = physicalRestore(file, dataDir, stampOf(options.now ?? new Date()));
    // Start it once: PostgreSQL recovers the copy, and this version's migrations bring it up to date.
    const target = await openTarget({ env });
    try {
      const upgradedWith = (await applyMigrations(target.url)).applied;
      return { database: dataDir, kept, format, schema: describeSchema(manifest.migrations, known), upgradedWith };
    } finally {
      await target.close();
    }
  }

  if (env.DATABASE_URL) {
    const url = new URL(env.DATABASE_URL);
    const databaseName = decodeURIComponent(url.pathname.slice(1));
    const target = await openTarget({ env });
    return restoreArchive(file, target.maintenanceUrl, databaseName, options);
  }
  const target = await openTarget({ env });
  try {
    return await restoreArchive(file, target.maintenanceUrl, target.databaseName, options);
  } finally {
    await target.close();
  }
}

async function main() {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const force = args.includes('--force');
  const files = args.filter((a) => !a.startsWith('--'));
  if (files.length !== 1 || args.includes('--help')) {
    console.error('usage: npm run db:restore FILE [-- --force]');
    process.exit(2);
  }
  const result = await restore(path.resolve(files[0]!), { force });
  console.log(`Restored ${result.schema} into ${result.database}.`);
  if (result.upgradedWith.length) console.log(`Upgraded with ${result.upgradedWith.length} migration(s) of this version: ${result.upgradedWith.join(', ')}`);
  if (result.kept)
    console.log(
      `The replaced ${result.format === 'custom' ? 'database' : 'data directory'} is kept as ${result.kept}; remove it once the restored data is checked.`,
    );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
