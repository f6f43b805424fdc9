// The `background` flush mode (default on Lambda Managed Instances): no invoke ever waits for a
// flush; a periodic flush and the pending bound run in the background, one at a time.
import { afterEach, describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../src/config/options.js';
import { BackgroundStrategy } from '../../../src/flush/background-strategy.js';
import type { FlushReason } from '../../../src/flush/types.js';

const strategies: BackgroundStrategy[] = [];
afterEach(() => strategies.splice(0).forEach((s) => s.stop()));

function make(pending: () => number, flushMs = 50, intervalMs = 60_000) {
  const calls: FlushReason[] = [];
  const s = new BackgroundStrategy({
    intervalMs,
    maxPending: 100,
    pending,
    flush: (reason) => {
      calls.push(reason);
      return new Promise((r) => setTimeout(r, flushMs));
    },
  });
  strategies.push(s);
  return { s, calls };
}

const end = (id: string) => ({ requestId: id, deadlineMs: Date.now() + 1000, flush: () => Promise.reject(new Error('never on the invoke path')) });

describe('BackgroundStrategy', () => {
  it('never flushes on the invoke path, and resolves at once', async () => {
    const { s, calls } = make(() => 0);
    const started = performance.now();
    await Promise.all(Array.from({ length: 100 }, (_, i) => s.onInvokeEnd(end(`r${i}`) as never)));
    expect(performance.now() - started).toBeLessThan(50);
    expect(calls).toEqual([]);
  });

  it('starts one background flush when more than maxPending items wait, never two at once', async () => {
    let pending = 500;
    const { s, calls } = make(() => pending, 80);
    for (let i = 0; i < 50; i++) await s.onInvokeEnd(end(`r${i}`) as never);
    expect(calls).toEqual(['periodic']);
    await new Promise((r) => setTimeout(r, 120));
    pending = 0;
    await s.onInvokeEnd(end('x') as never);
    expect(calls).toHaveLength(1);
  });

  it('flushes every intervalMs in the background', async () => {
    const { calls } = make(() => 0, 1, 30);
    await new Promise((r) => setTimeout(r, 200));
    expect(calls.length).toBeGreaterThanOrEqual(2);
  });

  it('is the default mode on Managed Instances, with a 1 s interval; explicit choices win', () => {
    const mi = { AWS_LAMBDA_MAX_CONCURRENCY: '64' };
    expect(resolveOptions(undefined, mi).flush).toMatchObject({ mode: 'background', intervalMs: 1000 });
    expect(resolveOptions(undefined, { ...mi, OTEL_LAMBDA_FLUSH_INTERVAL_MS: '5000' }).flush.intervalMs).toBe(5000);
    expect(resolveOptions({ flush: { mode: 'sync' } }, mi).flush.mode).toBe('sync');
    expect(resolveOptions(undefined, { ...mi, OTEL_LAMBDA_FLUSH_MODE: 'periodic' }).flush).toMatchObject({ mode: 'periodic', intervalMs: 10_000 });
    expect(resolveOptions(undefined, {}).flush.mode).toBe('sync');
    expect(resolveOptions(undefined, { OTEL_LAMBDA_FLUSH_MODE: 'background' }).flush.mode).toBe('background');
  });
});
