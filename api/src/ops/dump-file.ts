// What a backup file holds: a pg_dump custom-format archive ("PGDMP…"), or the embedded server's data
// directory as a gzip'd tar with a manifest (physical.ts). Both record the applied migrations.
import { closeSync, openSync, readSync } from 'node:fs';
import type { AppliedMigration, MigrationFile } from '../db/migrate.ts';
import { connectionFor, findTool, runTool } from './pg-tools.ts';

export type BackupFormat = 'custom' | 'physical';

export function backupFormatOf(file: string): BackupFormat {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(5);
    readSync(fd, head, 0, 5, 0);
    if (head.toString('latin1') === 'PGDMP') return 'custom';
    if (head[0] === 0x1f && head[1] === 0x8b) return 'physical';
  } finally {
    closeSync(fd);
  }
  throw new Error(`${file} is neither a pg_dump custom-format archive nor a physical backup of this application.`);
}

/**
 * The pg_dump version that wrote a custom-format archive: its header holds the archive format version
 * (three bytes after "PGDMP"), and since format 1.10 the server and pg_dump version strings.
 * Only the major number matters here: pg_restore must be at least that new.
 */
export function archiveDumpMajor(file: string): number | undefined {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(4096);
    const length = readSync(fd, head, 0, head.length, 0);
    // Printable runs of the header: …, the database name, the server's version, pg_dump's version, then the TOC.
    const runs =
      head
        .subarray(0, length)
        .toString('latin1')
        .match(/[\x20-\x7e]{3,}/g) ?? [];
    const versions = runs.filter((run) => /^\d+\.\d+/.test(run)).slice(0, 2);
    const pgDump = versions.at(-1);
    return pgDump ? Number.parseInt(pgDump, 10) : undefined;
  } finally {
    closeSync(fd);
  }
}

/** The applied migrations recorded in a custom-format archive (the drizzle.__drizzle_migrations data). */
export async function readArchiveMigrations(file: string, env: NodeJS.ProcessEnv = process.env): Promise<AppliedMigration[]> {
  const tool = findTool('pg_restore', archiveDumpMajor(file) ?? 0, `Reading ${file}`, env);
  const text = await runTool(tool.path, ['--data-only', '--schema=drizzle', '--table=__drizzle_migrations', '--file=-', file]);
  const lines = text.split('\n');
  const start = lines.findIndex((line) => /^COPY drizzle\.__drizzle_migrations /.test(line));
  if (start < 0) return [];
  const columns = /\(([^)]*)\)/
    .exec(lines[start]!)![1]!
    .split(',')
    .map((c) => c.trim().replace(/"/g, ''));
  const hashAt = columns.indexOf('hash');
  const createdAt = columns.indexOf('created_at');
  const rows: AppliedMigration[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line === '\\.') break;
    const cells = line.split('\t');
    rows.push({ hash: cells[hashAt]!, createdAt: Number(cells[createdAt]) });
  }
  return rows.sort((a, b) => a.createdAt - b.createdAt);
}

/** "17 migrations, the newest 0016_… (known to this version)" — for messages. */
export function describeSchema(applied: AppliedMigration[], known: MigrationFile[]): string {
  if (applied.length === 0) return 'no migrations applied';
  const newest = applied.at(-1)!;
  const file = known.find((m) => m.hash === newest.hash || m.when === newest.createdAt)?.file;
  return `${applied.length} migration${applied.length === 1 ? '' : 's'}, the newest ${file ?? `unknown to this version, from ${new Date(newest.createdAt).toISOString()}`}`;
}

export { connectionFor };
