// `npm run db:migrate [-- --dry-run]`: applies this version's pending migrations (as `npm start` does), or,
// with --dry-run, applies them in a transaction that is then rolled back, showing what would be applied.
import { pathToFileURL } from 'node:url';
import { applyMigrations } from '../db/migrate.ts';
import { openTarget } from './target.ts';

async function main() {
  const dryRun = process.argv.includes('--dry-run');
  const target = await openTarget();
  try {
    const result = await applyMigrations(target.url, { dryRun });
    if (result.applied.length === 0) console.log('The database is up to date: no pending migrations.');
    else if (dryRun)
      console.log(`Dry run: ${result.applied.length} pending migration(s) applied cleanly and were rolled back:\n  ${result.applied.join('\n  ')}`);
    else console.log(`Applied ${result.applied.length} migration(s):\n  ${result.applied.join('\n  ')}`);
  } finally {
    await target.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
