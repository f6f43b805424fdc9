// The invoke's own flush builds no outcome object when nobody wants it, but onFlush still gets
// the full outcome, and the flush is awaited and bookkept the same either way.
import { beforeEach, describe, expect, it } from 'vitest';
import { withFlush } from '../../../src/handler/with-flush.js';
import { ProviderFlusher } from '../../../src/flush/flusher.js';
import type { FlushOutcome } from '../../../src/flush/types.js';
import { processState } from '../../../src/state.js';
import { fakeContext } from '../../../src/testing/context.js';
import { memoryTracing, resetProcessState } from './helpers.js';

describe('the per-invoke flush and its outcome', () => {
  beforeEach(() => resetProcessState());

  it('onFlush gets the full outcome of each invoke flush', async () => {
    const m = memoryTracing();
    const outcomes: FlushOutcome[] = [];
    const h = withFlush(async () => 'ok', { tracerProvider: m.provider, handleSigterm: false, onFlush: (o) => void outcomes.push(o) }) as (e: unknown, c: unknown) => Promise<unknown>;
    expect(await h({}, fakeContext())).toBe('ok');
    expect(m.spans()).toHaveLength(1);
    expect(outcomes).toHaveLength(1);
    const [o] = outcomes;
    expect(o).toMatchObject({ reason: 'invoke', status: 'ok', signals: { traces: 'ok' } });
    expect(typeof o!.durationMs).toBe('number');
    expect(o!.budgetMs).toBeGreaterThan(0);
    expect(o!.items?.traces).toEqual({ exported: 0, retried: 0, kept: 0, dropped: 0, spilled: 0 });
  });

  it('flushQuietly flushes and bookkeeps as flush does, resolving to no outcome', async () => {
    let flushed = 0;
    const failing = new ProviderFlusher(() => ({ traces: { forceFlush: () => Promise.reject(new Error('down')) } }));
    expect(await failing.flushQuietly(1000, 'invoke')).toBeUndefined();
    expect(processState().unsettled.traces).toBe(true);
    const ok = new ProviderFlusher(() => ({ traces: { forceFlush: async () => void flushed++ } }));
    expect(await ok.flushQuietly(1000, 'invoke')).toBeUndefined();
    expect(flushed).toBe(1);
    expect(processState().unsettled.traces).toBe(false);
    const reported: FlushOutcome[] = [];
    const watched = new ProviderFlusher(() => ({ traces: { forceFlush: async () => void flushed++ } }), (o) => void reported.push(o));
    const out = await watched.flushQuietly(1000, 'invoke');
    expect(reported).toHaveLength(1);
    expect(out).toBe(reported[0]);
    expect(flushed).toBe(2);
  });
});
