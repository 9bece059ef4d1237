// The Docker image's start, without a Docker engine: the app runs as an unprivileged user from a
// root-owned copy of the tree laid out as the image's /app, with the environment the Dockerfile sets and
// no TOKEN_SECRET. Every path it writes at start-up must then lie in the directory the
// Dockerfile hands to that user. Runs after the web build (the e2e suite builds first), as root only
// (it needs setpriv to drop to `nobody`).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import postgres from 'postgres';
import { freePort } from '../../api/src/db/embedded.ts';
import { databaseUrl, dropDatabases, testsRoot, uniqueName } from '../support/postgres.ts';

const repoRoot = path.resolve(testsRoot, '..');
const dockerfile = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
/** The image the app runs in: the text after the last FROM. */
const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

function imageSettings() {
  const workdir = /^WORKDIR\s+(\S+)/m.exec(finalStage)?.[1];
  const user = /^USER\s+(\S+)/m.exec(finalStage)?.[1];
  const env: Record<string, string> = {};
  for (const [, line] of finalStage.matchAll(/^ENV\s+(.+)$/gm)) for (const [, key, value] of line.matchAll(/(\w+)=(\S+)/g)) env[key] = value;
  // Directories the final stage gives to the app's user (chown <user>:<group> <dir> …).
  const owned = [...finalStage.matchAll(/chown\s+(?:-R\s+)?(\w+):\w+\s+([^&\n]+)/g)]
    .filter(([, owner]) => owner === user)
    .flatMap(([, , dirs]) => dirs.trim().split(/\s+/));
  return { workdir, user, env, owned };
}

/** Where the app writes at start-up, as main.ts derives it from the environment (relative to the workdir). */
function startupWrites(env: Record<string, string>, workdir: string) {
  const pgData = path.posix.resolve(workdir, env.PG_DATA_DIR ?? './data/pg');
  return {
    pgData,
    tokenSecret: path.posix.resolve(pgData, '..', 'token-secret'),
    imports: path.posix.resolve(workdir, env.IMPORT_DIR ?? './data/imports'),
  };
}

const inside = (dir: string, file: string) => file === dir || file.startsWith(`${dir}/`);

test('every path the app writes at start-up is in a directory the image gives to its user', () => {
  const { workdir, user, env, owned } = imageSettings();
  expect(workdir).toBe('/app');
  expect(user).toBe('node');
  expect(owned.length).toBeGreaterThan(0);
  for (const [name, file] of Object.entries(startupWrites(env, workdir!))) {
    expect(
      owned.some((dir) => inside(dir, file)),
      `${name} (${file}) lies in ${owned.join(', ')}`,
    ).toBe(true);
  }
  // Declared as a volume, so the token secret (and with it every survey link) survives a new container.
  expect(finalStage).toMatch(new RegExp(`^VOLUME\\s+\\[?"?${owned[0]}`, 'm'));
});

async function waitForHealth(url: string, child: ChildProcess, output: string[]) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output.join('')}`);
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`server did not become healthy:\n${output.join('')}`);
}

/** Copies the checkout as the image's `COPY . .` would (minus .dockerignore), with the current web build. */
function buildImageTree(target: string) {
  const ignored = readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const skip = (relative: string) =>
    ignored.some((pattern) => (pattern.startsWith('**/') ? path.basename(relative) === pattern.slice(3) : relative === pattern));
  cpSync(repoRoot, target, { recursive: true, filter: (source) => !skip(path.relative(repoRoot, source)) });
  // The image builds the web app after copying the sources, so its build is the newest thing in it.
  cpSync(path.join(repoRoot, 'web', 'build'), path.join(target, 'web', 'build'), { recursive: true });
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(target, 'node_modules'));
}

test('starts as an unprivileged user from a read-only copy of the image without TOKEN_SECRET', async () => {
  test.skip(userInfo().uid !== 0 || spawnSync('setpriv', ['--version']).status !== 0, 'needs root and setpriv to run as nobody');
  test.setTimeout(120_000);
  const { workdir, env, owned } = imageSettings();
  const writes = startupWrites(env, workdir!);
  // A root-owned copy of the image's /app; the directory the Dockerfile gives to its user goes to nobody.
  const scratch = mkdtempSync(path.join(tmpdir(), 'rs-image-'));
  chmodSync(scratch, 0o755);
  const app = path.join(scratch, 'app');
  buildImageTree(app);
  const local = (file: string) => path.join(app, path.posix.relative(workdir!, file));
  const nobody = Number(spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout.trim());
  const nogroup = Number(spawnSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).stdout.trim());
  for (const dir of owned) {
    mkdirSync(local(dir), { recursive: true });
    chownSync(local(dir), nobody, nogroup);
  }

  const admin = postgres(process.env.E2E_DATABASE_URL!, { max: 1, onnotice: () => {} });
  const name = uniqueName('rs_image');
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const port = await freePort();
  const output: string[] = [];
  const child = spawn(
    'setpriv',
    ['--reuid', String(nobody), '--regid', String(nogroup), '--clear-groups', process.execPath, '--import', 'tsx', 'api/src/main.ts'],
    {
      cwd: app,
      env: {
        PATH: process.env.PATH,
        ...env,
        // The image's absolute paths, moved with its /app.
        PG_DATA_DIR: local(writes.pgData),
        IMPORT_DIR: local(writes.imports),
        DATABASE_URL: databaseUrl(process.env.E2E_DATABASE_URL!, name),
        PORT: String(port),
        HOST: '127.0.0.1',
        DEMO_DATA: 'false',
        DISTRIBUTION_WORKER: 'false',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (d) => output.push(String(d)));
  child.stderr?.on('data', (d) => output.push(String(d)));
  try {
    await waitForHealth(`http://127.0.0.1:${port}`, child, output);
    const page = await fetch(`http://127.0.0.1:${port}/login`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    // The secret was created in the data directory, by that user, readable by it alone.
    const secret = local(writes.tokenSecret);
    expect(existsSync(secret)).toBe(true);
    expect(statSync(secret).uid).toBe(nobody);
    expect(statSync(secret).mode & 0o777).toBe(0o600);
    expect(readFileSync(secret, 'utf8').trim().length).toBeGreaterThanOrEqual(32);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    await dropDatabases(process.env.E2E_DATABASE_URL!, [name]).catch(() => {});
    rmSync(scratch, { recursive: true, force: true });
  }
});
