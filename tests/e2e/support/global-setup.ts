// Starts the real server (npm start's entry point) on a fresh database with demo data, as a user would.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../../api/src/db/embedded.ts';
import { cloneDatabase, createTemplateDatabase, databaseUrl, dropDatabases, startTestServer, testsRoot } from '../../support/postgres.ts';

const repoRoot = path.resolve(testsRoot, '..');

async function waitForHealth(url: string, child: ChildProcess, output: string[]) {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output.join('')}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`server did not become healthy:\n${output.join('')}`);
}

export default async function globalSetup() {
  const server = await startTestServer();
  const template = await createTemplateDatabase(server.adminUrl);
  const name = await cloneDatabase(server.adminUrl, template, 'rs_e2e');
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const output: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl(server.adminUrl, name),
      PORT: String(port),
      HOST: '127.0.0.1',
      DEMO_DATA: 'true',
      PUBLIC_URL: baseUrl,
      LOG_LEVEL: 'warn',
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => output.push(String(d)));
  child.stderr?.on('data', (d) => output.push(String(d)));
  await waitForHealth(baseUrl, child, output);
  process.env.E2E_BASE_URL = baseUrl;
  process.env.E2E_DATABASE_URL = databaseUrl(server.adminUrl, name);

  return async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    await dropDatabases(server.adminUrl, [name, template]).catch(() => {});
    await server.stop();
  };
}
