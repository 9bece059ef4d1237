// A worker process without the web server: `node --import tsx api/src/queue/worker.main.ts`.
// Needs DATABASE_URL (and the same TOKEN_SECRET as the app processes). Runs every background worker
// (./workers.ts); app processes beside it run with WORKERS=false. Stops on SIGTERM.
import { createDatabase } from '../db/client.ts';
import { parseEnv } from '../env.ts';
import { log, setLogLevel } from '../lib/logger.ts';
import { startBoss } from './queue.ts';
import { startWorkers } from './workers.ts';

async function main() {
  const env = parseEnv();
  setLogLevel(env.LOG_LEVEL);
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is required for a separate worker process');
  if (!env.TOKEN_SECRET) throw new Error('TOKEN_SECRET is required for a separate worker process (the same as the server’s)');
  // Stray rejections of background queries during a database restart are logged, not fatal (as in main.ts).
  process.on('unhandledRejection', (reason) => log.error(`unhandled rejection: ${(reason as { code?: string })?.code ?? String(reason)}`));
  const { db, sql } = createDatabase(env.DATABASE_URL);
  const deps = { db, sql, env, publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''), now: () => new Date() };
  const boss = await startBoss(sql, { maintenanceIntervalSeconds: env.QUEUE_MAINTENANCE_SECONDS });
  const workers = await startWorkers(deps, boss);
  log.info('worker started');
  process.send?.({ ready: true });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await workers.stop();
    await boss.stop({ graceful: false, wait: true });
    await sql.end({ timeout: 5 });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((error) => {
  log.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
