import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Unit tests are pure; integration tests share one PostgreSQL (embedded or DATABASE_URL) started by
// the global setup, and each test file gets its own database cloned from a migrated template.
export default defineConfig({
  test: {
    projects: [
      {
        // web modules under test import the rest of web/src/lib as $lib
        resolve: { alias: { $lib: fileURLToPath(new URL('../web/src/lib', import.meta.url)) } },
        test: {
          name: 'unit',
          include: ['unit/**/*.test.ts'],
          setupFiles: ['./support/loopback-only.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['integration/**/*.test.ts'],
          sequence: { groupOrder: 1 },
          globalSetup: ['./support/global-setup.ts'],
          setupFiles: ['./support/loopback-only.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: true,
          maxWorkers: 2,
        },
      },
    ],
  },
});
