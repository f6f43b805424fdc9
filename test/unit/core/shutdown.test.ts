import { beforeEach, describe, expect, it } from 'vitest';
import { withFlush } from '../../../src/handler/with-flush.js';
import { addShutdownHook, runShutdown } from '../../../src/shutdown.js';
import { fakeContext } from '../../../src/testing/context.js';
import { memoryTracing, resetProcessState } from './helpers.js';

describe('runShutdown', () => {
  beforeEach(() => resetProcessState());

  it('awaits hooks (bounded), flushes, shuts providers down, ends open invocations, within the budget, once', async () => {
    const m = memoryTracing();
    let shut = 0;
    const original = m.provider.shutdown.bind(m.provider);
    let spansAtShutdown = 0;
    m.provider.shutdown = () => { shut++; spansAtShutdown = m.spans().length; return original(); };
    const order: string[] = [];
    addShutdownHook(async () => { await new Promise((r) => setTimeout(r, 20)); order.push('hook'); });
    addShutdownHook(() => new Promise(() => {})); // never settles: bounded by the budget
    const h = withFlush((_e: unknown, _c: unknown) => new Promise(() => {}), { tracerProvider: m.provider, handleSigterm: false, deadlineMarginMs: 0 });
    void h({}, fakeContext({ timeoutMs: 60_000 }));
    await new Promise((r) => setTimeout(r, 5));
    const t0 = performance.now();
    const out = await runShutdown(300);
    expect(performance.now() - t0).toBeLessThan(600);
    expect(order).toEqual(['hook']);
    expect(out?.reason).toBe('shutdown');
    expect(m.flushes).toBeGreaterThanOrEqual(1);
    expect(shut).toBe(1);
    expect(spansAtShutdown).toBe(1); // the open invocation's span was ended before the shutdown
    expect(runShutdown()).toBe(runShutdown());
  });
});
