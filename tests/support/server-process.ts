// The real server (`npm start`'s entry point, api/src/main.ts) as a child process on a free port, for tests
// that stop its database or kill it: its output is kept, and whether (and how) it exited is known.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../api/src/db/embedded.ts';
import { testsRoot } from './postgres.ts';

const repoRoot = path.resolve(testsRoot, '..');

export interface ServerProcess {
  baseUrl: string;
  port: number;
  child: ChildProcess;
  output: string[];
  /** Exit code or signal once it exited, else null. */
  exited(): string | null;
  /** SIGKILL, as a crash or the OOM killer would. */
  kill9(): Promise<void>;
  /** SIGTERM and wait (at most 10 s). */
  stop(): Promise<void>;
}

export async function startServerProcess(env: Record<string, string>, options: { port?: number; healthTimeoutMs?: number } = {}): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DEMO_DATA: 'false', PUBLIC_URL: baseUrl, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exit: string | null = null;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = signal ? `signal ${signal}` : `code ${code}`;
      resolve();
    }),
  );
  const keep = (d: Buffer) => {
    output.push(String(d));
    if (output.length > 400) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const deadline = Date.now() + (options.healthTimeoutMs ?? 180_000);
  for (;;) {
    if (exit) throw new Error(`server exited (${exit}):\n${output.join('')}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not become healthy:\n${output.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    baseUrl,
    port,
    child,
    output,
    exited: () => exit,
    async kill9() {
      if (!exit) child.kill('SIGKILL');
      await exitedPromise;
    },
    async stop() {
      if (exit) return;
      child.kill('SIGTERM');
      await Promise.race([exitedPromise, new Promise((r) => setTimeout(r, 10_000))]);
      if (!exit) {
        child.kill('SIGKILL');
        await exitedPromise;
      }
    },
  };
}
