import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Temporal workers crash under worker threads (docs/reference-notes.md#temporal-vitest): every file runs in a forked process.
    pool: 'forks',
    maxWorkers: 2,
    include: ['test/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    // One real Temporal dev server for the whole run; files connect to it (test/support/temporal.ts).
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup-runtime.ts'],
  },
});
