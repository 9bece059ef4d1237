// A real worker process (api/src/queue/worker.main.ts, no web server) for tests that run several of them on
// one database or kill one: started with the test's env, resolved once it says over IPC that it is ready.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { testsRoot } from './postgres.ts';

const repoRoot = path.resolve(testsRoot, '..');

/**
 * Starts a worker process; `env` adds to (and may override) the test defaults: NODE_ENV test, errors only in
 * the log, no demo data, PUBLIC_URL http://survey.test. The child is pushed onto `children` at once, so the
 * test's afterAll stops it even when it never became ready.
 */
export function startWorkerProcess(env: Record<string, string>, children: ChildProcess[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'api/src/queue/worker.main.ts')], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'error', PUBLIC_URL: 'http://survey.test', DEMO_DATA: 'false', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
}
