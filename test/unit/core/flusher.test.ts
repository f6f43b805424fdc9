import { describe, expect, it } from 'vitest';
import { flushBudget } from '../../../src/flush/budget.js';
import { ProviderFlusher } from '../../../src/flush/flusher.js';
import type { FlushOutcome } from '../../../src/flush/types.js';
import { reliableExporter } from '../../../src/providers/reliable/exporter.js';
import { armDeadlineGuard } from '../../../src/invocation/deadline.js';

const after = (ms: number, fail = false) => () =>
  new Promise<void>((resolve, reject) => setTimeout(() => (fail ? reject(new Error('boom')) : resolve()), ms));
const never = () => new Promise<void>(() => {});

describe('ProviderFlusher', () => {
  it('flushes the three providers concurrently', async () => {
    const flusher = new ProviderFlusher(() => ({ traces: { forceFlush: after(150) }, metrics: { forceFlush: after(150) }, logs: { forceFlush: after(150) } }));
    const t0 = performance.now();
    const out = await flusher.flush(5000, 'invoke');
    const took = performance.now() - t0;
    expect(out.status).toBe('ok');
    expect(out.signals).toEqual({ traces: 'ok', metrics: 'ok', logs: 'ok' });
    expect(took).toBeLessThan(400); // sequential would be >= 450
  });

  it('is bounded by the budget and marks the slow signal timeout', async () => {
    const flusher = new ProviderFlusher(() => ({ traces: { forceFlush: never }, metrics: { forceFlush: after(1) } }));
    const t0 = performance.now();
    // A flusher that ignored its budget would wait forever: bound the wait here, not in vitest.
    const out = await Promise.race([flusher.flush(100, 'invoke'), new Promise<undefined>((r) => setTimeout(r, 2000, undefined))]);
    const took = performance.now() - t0;
    expect(out, 'the flush returned by its budget').toBeDefined();
    expect(took).toBeGreaterThanOrEqual(95);
    expect(took).toBeLessThan(100 + 400); // the budget plus a timer tick on a loaded machine
    if (!out) return;
    expect(out.status).toBe('timeout');
    expect(out.signals).toEqual({ traces: 'timeout', metrics: 'ok', logs: 'skipped' });
    expect(out.budgetMs).toBe(100);
  });

  it('never throws: rejections, sync throws and a throwing targets() become failed', async () => {
    const reported: FlushOutcome[] = [];
    const flusher = new ProviderFlusher(
      () => ({ traces: { forceFlush: after(1, true) }, metrics: { forceFlush: () => { throw new Error('sync'); } } }),
      (o) => { reported.push(o); throw new Error('callback errors are ignored'); },
    );
    const out = await flusher.flush(1000, 'invoke');
    expect(out.status).toBe('failed');
    expect(out.signals.traces).toBe('failed');
    expect(out.signals.metrics).toBe('failed');
    expect(reported).toHaveLength(1);
    const broken = await new ProviderFlusher(() => { throw new Error('no targets'); }).flush(10, 'periodic');
    expect(broken.signals).toEqual({ traces: 'skipped', metrics: 'skipped', logs: 'skipped' });
  });

  it('skips providers without forceFlush (the API no-op providers)', async () => {
    const out = await new ProviderFlusher(() => ({ traces: {}, metrics: undefined })).flush(10, 'invoke');
    expect(out.status).toBe('ok');
    expect(out.signals).toEqual({ traces: 'skipped', metrics: 'skipped', logs: 'skipped' });
  });

  it('reports failed when a reliable exporter could not deliver during the flush (forceFlush itself resolves)', async () => {
    const failing = reliableExporter(
      { export: (_items: unknown[], cb: (r: { code: number; error?: Error }) => void) => cb({ code: 1, error: new Error('503') }), shutdown: () => Promise.resolve() },
      { signal: 'traces' },
    );
    const flusher = new ProviderFlusher(() => ({ traces: { forceFlush: () => new Promise<void>((resolve) => failing.export([{ name: 'x' }], () => resolve())) } }));
    const out = await flusher.flush(1000, 'invoke');
    expect(out.signals.traces).toBe('failed');
    expect(String(out.error)).toMatch(/503/);
  });

  it('shutdown() calls shutdown on the providers', async () => {
    let shut = 0;
    const out = await new ProviderFlusher(() => ({ traces: { shutdown: async () => { shut++; } } })).shutdown(100);
    expect(shut).toBe(1);
    expect(out.reason).toBe('shutdown');
  });
});

describe('flushBudget', () => {
  it('is min(flushTimeout, remaining - margin), never negative', () => {
    expect(flushBudget(1000, 10_000, 50, 0)).toBe(1000);
    expect(flushBudget(1000, 500, 50, 0)).toBe(450);
    expect(flushBudget(1000, 20, 50, 0)).toBe(0);
    expect(flushBudget(1000, undefined, 50, 0)).toBe(1000);
  });
});

describe('armDeadlineGuard', () => {
  it('fires margin ms before the deadline unless cancelled', async () => {
    let fired = 0;
    const now = Date.now();
    armDeadlineGuard(now + 120, 100, () => fired++, now);
    const cancel = armDeadlineGuard(now + 120, 100, () => fired++, now);
    cancel();
    await new Promise((r) => setTimeout(r, 80));
    expect(fired).toBe(1);
    expect(armDeadlineGuard(undefined, 100, () => fired++)).toBeTypeOf('function');
  });
});
