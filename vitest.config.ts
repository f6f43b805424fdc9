import { defineConfig } from 'vitest/config';
// @ts-expect-error plain .mjs build helper without types
import { workerDefine } from './scripts/worker-source.mjs';

// Two projects: fast unit tests, and integration tests that spawn the real runtime client
// (Node 24) against the simulator. Integration files run one at a time per worker and the
// machine has 2 cores, so keep their own parallelism low.
export default defineConfig({
  // The extension worker is inlined as a string, in tests as in dist/ (see scripts/worker-source.mjs).
  define: workerDefine(),
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 20_000, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: 'forks',
          maxWorkers: 2,
          fileParallelism: true,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
