// Public test kit: `otel-lambda-flush/testing`. Re-exports only; each folder's index.ts lists
// its public names.
export * from './collector/index.js';
export * from './simulator/index.js';
export { fakeContext, type FakeContextOptions } from './context.js';
