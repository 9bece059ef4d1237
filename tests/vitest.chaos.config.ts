import { defineConfig } from 'vitest/config';

// The reliability ("chaos") suite: each file runs its own PostgreSQL cluster and the real server as a
// child process, stops, kills and restarts them, and records acknowledged / stored / lost / doubled.
// One file at a time: they measure latencies and the machine's two cores are shared.
export default defineConfig({
  test: {
    name: 'chaos',
    include: ['chaos/**/*.test.ts'],
    globalSetup: ['./chaos/report.setup.ts'],
    setupFiles: ['./support/loopback-only.ts'],
    testTimeout: 180_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    maxWorkers: 1,
  },
});
