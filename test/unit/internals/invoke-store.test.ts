// Pins src/internals/invoke-store.ts against the runtime's own @aws/lambda-invoke-store.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { invokeStoreTraceId } from '../../../src/internals/invoke-store.js';

afterEach(() => {
  delete (globalThis as { awslambda?: unknown }).awslambda;
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('the invoke store', () => {
  it('no store (outside Lambda or an older runtime): undefined', () => {
    expect(invokeStoreTraceId()).toBeUndefined();
  });

  it('multi-concurrent mode: each overlapping invoke sees its own X-Ray header', async () => {
    vi.stubEnv('AWS_LAMBDA_MAX_CONCURRENCY', '8');
    const { InvokeStore } = await import('@aws/lambda-invoke-store');
    const store = await InvokeStore.getInstanceAsync();
    const key = Symbol.for('_AWS_LAMBDA_X_RAY_TRACE_ID');
    const rid = Symbol.for('_AWS_LAMBDA_REQUEST_ID');
    const seen = await Promise.all(
      ['a', 'b', 'c'].map((id, i) =>
        store.run({ [rid]: id, [key]: `Root=1-00000000-00000000000000000000000${i};Parent=000000000000000${i};Sampled=1` }, async () => {
          await new Promise((r) => setTimeout(r, 10 * (3 - i)));
          return invokeStoreTraceId();
        }),
      ),
    );
    expect(seen).toEqual([0, 1, 2].map((i) => `Root=1-00000000-00000000000000000000000${i};Parent=000000000000000${i};Sampled=1`));
    expect(invokeStoreTraceId()).toBeUndefined();
  });
});
