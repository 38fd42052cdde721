import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // PGlite boots per test file; two cores make more workers slower, not faster.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
