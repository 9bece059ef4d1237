// `npm run db:backup [FILE]`: a pg_dump custom-format archive of the application's database (embedded or
// DATABASE_URL), made by a pg_dump at least as new as the server. The archive carries the applied migrations
// (drizzle.__drizzle_migrations), which restore.ts checks. For the embedded server without a fitting pg_dump,
// a file-level backup of its data directory (physical.ts).
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type AppliedMigration, readAppliedMigrations, readMigrations } from '../db/migrate.ts';
import { describeSchema, readArchiveMigrations } from './dump-file.ts';
import { physicalBackup } from './physical.ts';
import { connectionFor, findTool, listTools, runTool, ToolVersionError } from './pg-tools.ts';
import { majorOf, openTarget, repoRoot, serverVersionNum, withSql } from './target.ts';

export interface BackupResult {
  file: string;
  format: 'custom' | 'physical';
  bytes: number;
  serverMajor: number;
  schema: string;
}

const stampOf = (date: Date) => date.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');

export function defaultBackupFile(now = new Date()) {
  return path.join(repoRoot, 'data', 'backups', `rental-satisfaction-${stampOf(now)}.dump`);
}

/** pg_dump -Fc of one database into `file` (written under a temporary name, then renamed). */
export async function dumpDatabase(url: string, file: string, env: NodeJS.ProcessEnv = process.env): Promise<BackupResult> {
  const serverMajor = majorOf(await serverVersionNum(url));
  const tool = findTool('pg_dump', serverMajor, `Backing up a PostgreSQL ${serverMajor} server`, env);
  const applied = await withSql(url, (sql) => readAppliedMigrations(sql));
  if (applied.length === 0)
    throw new Error(`The database ${new URL(url).pathname.slice(1)} has no migrations applied: nothing of this application to back up.`);
  mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  const { dbname, env: connectionEnv } = connectionFor(url);
  try {
    await runTool(tool.path, ['--format=custom', '--compress=6', `--file=${partial}`, `--dbname=${dbname}`], connectionEnv);
    // A backup nobody can read is no backup: list it, and read back the migrations it records.
    const recorded = await readArchiveMigrations(partial, env);
    if (recorded.length !== applied.length) throw new Error(`The archive records ${recorded.length} migrations, the database ${applied.length}.`);
    chmodSync(partial, 0o600); // personal data: readable by the owner only
    renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
  }
  return { file, format: 'custom', bytes: statSync(file).size, serverMajor, schema: describeSchema(applied, readMigrations()) };
}

/** Backs up the application's database the way the environment configures it (see target.ts). */
export async function backup(file: string, env: NodeJS.ProcessEnv = process.env): Promise<BackupResult> {
  if (existsSync(file)) throw new Error(`${file} exists already; name another file.`);
  if (env.DATABASE_URL) return dumpDatabase(env.DATABASE_URL, file, env);

  const located = await openTarget({ env, startEmbedded: false });
  const dataDir = located.dataDir!;
  const serverMajor = Number.parseInt(readFileSync(path.join(dataDir, 'PG_VERSION'), 'utf8'), 10);
  const hasPgDump = listTools('pg_dump', env).some((t) => t.major >= serverMajor);
  if (hasPgDump) {
    const target = located.runningElsewhere ? located : await openTarget({ env });
    try {
      return await dumpDatabase(target.url, file, env);
    } finally {
      await target.close();
    }
  }
  // No pg_dump for this server version: a file-level copy of the data directory.
  mkdirSync(path.dirname(file), { recursive: true });
  let migrations: AppliedMigration[] | undefined;
  if (!located.runningElsewhere) {
    // Read the schema version with the server up for a moment, then copy the directory with it stopped.
    const target = await openTarget({ env });
    try {
      migrations = await withSql(target.url, (sql) => readAppliedMigrations(sql));
    } finally {
      await target.close();
    }
  }
  const manifest = await physicalBackup({ dataDir, file, runningUrl: located.runningElsewhere ? located.url : undefined, migrations });
  return { file, format: 'physical', bytes: statSync(file).size, serverMajor, schema: describeSchema(manifest.migrations, readMigrations()) };
}

async function main() {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  if (args.includes('--help')) {
    console.log('usage: npm run db:backup [FILE]   (default data/backups/rental-satisfaction-<time>.dump)');
    return;
  }
  const file = path.resolve(args[0] ?? defaultBackupFile());
  const result = await backup(file);
  const kind = result.format === 'custom' ? 'pg_dump custom format' : 'file-level copy of the embedded data directory (no pg_dump of its version found)';
  console.log(`Backup written: ${result.file} (${(result.bytes / 1024 / 1024).toFixed(1)} MiB, ${kind}, PostgreSQL ${result.serverMajor}, ${result.schema})`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(error instanceof ToolVersionError || error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
