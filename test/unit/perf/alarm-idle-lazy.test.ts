import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { schedule } from '../../../src/alarm.js';
import { ProviderFlusher } from '../../../src/flush/flusher.js';
import { nothingToFlush } from '../../../src/flush/idle.js';
import { lazyExporter } from '../../../src/providers/lazy-exporter.js';
import { processState } from '../../../src/state.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('schedule (shared alarm timer)', () => {
  it('runs due callbacks in time order, never early, and not after cancel', async () => {
    const t0 = performance.now();
    const fired: Array<[string, number]> = [];
    schedule(60, () => fired.push(['late', performance.now() - t0]));
    const cancel = schedule(10, () => fired.push(['cancelled', performance.now() - t0]));
    schedule(30, () => fired.push(['early', performance.now() - t0]));
    cancel();
    await sleep(120);
    expect(fired.map(([n]) => n)).toEqual(['early', 'late']);
    expect(fired[0]![1]).toBeGreaterThanOrEqual(30);
    expect(fired[1]![1]).toBeGreaterThanOrEqual(60);
  });

  it('a throwing callback does not stop the others', async () => {
    let ran = false;
    schedule(5, () => {
      throw new Error('boom');
    });
    schedule(5, () => {
      ran = true;
    });
    await sleep(40);
    expect(ran).toBe(true);
  });
});

const noopMetricExporter: PushMetricExporter = { export: (_m, cb) => cb({ code: 0 }), forceFlush: async () => {}, shutdown: async () => {} };

describe('nothingToFlush', () => {
  it('a MeterProvider with no meter is idle; one with a meter is not', () => {
    const provider = new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter: noopMetricExporter, exportIntervalMillis: 3_600_000 })] });
    const state = processState();
    expect(nothingToFlush('metrics', provider, state)).toBe(true);
    provider.getMeter('m').createCounter('c').add(1);
    expect(nothingToFlush('metrics', provider, state)).toBe(false);
  });

  it('a MeterProvider whose reader has metric producers is flushed', () => {
    const reader = new PeriodicExportingMetricReader({
      exporter: noopMetricExporter,
      exportIntervalMillis: 3_600_000,
      metricProducers: [{ collect: async () => ({ resourceMetrics: { resource: undefined as never, scopeMetrics: [] }, errors: [] }) }],
    });
    expect(nothingToFlush('metrics', new MeterProvider({ readers: [reader] }), processState())).toBe(false);
  });

  it('counted providers are idle only with nothing pending, in flight or unsettled; others never', () => {
    const state = processState();
    const own = {};
    const other = {};
    (state.countedProviders ??= new WeakSet()).add(own);
    const saved = { pending: state.health.pending.logs, inFlight: state.health.inFlight.logs, unsettled: state.unsettled };
    try {
      state.health.pending.logs = 0;
      state.health.inFlight.logs = 0;
      state.unsettled = { traces: false, metrics: false, logs: false };
      expect(nothingToFlush('logs', own, state)).toBe(true);
      expect(nothingToFlush('logs', other, state)).toBe(false);
      state.health.pending.logs = 1;
      expect(nothingToFlush('logs', own, state)).toBe(false);
      state.health.pending.logs = 0;
      state.health.inFlight.logs = 1;
      expect(nothingToFlush('logs', own, state)).toBe(false);
      state.health.inFlight.logs = 0;
      state.unsettled.logs = true;
      expect(nothingToFlush('logs', own, state)).toBe(false);
      // Metrics have no pending count: the counted rule never applies to them.
      expect(nothingToFlush('metrics', own, state)).toBe(false);
    } finally {
      state.health.pending.logs = saved.pending;
      state.health.inFlight.logs = saved.inFlight;
      state.unsettled = saved.unsettled;
    }
  });

  it('the flusher reports an idle provider ok without calling it, and flushes it again after a timed-out flush', async () => {
    const state = processState();
    let calls = 0;
    const own = { forceFlush: () => { calls++; return new Promise<void>(() => {}); } };
    (state.countedProviders ??= new WeakSet()).add(own);
    state.health.pending.logs = 1;
    const flusher = new ProviderFlusher(() => ({ logs: own }));
    expect((await flusher.flush(20, 'invoke')).signals.logs).toBe('timeout');
    expect(calls).toBe(1);
    // Nothing new pending, but the last flush was cut short: flushed again.
    expect((await flusher.flush(20, 'invoke')).signals.logs).toBe('timeout');
    expect(calls).toBe(2);
    state.unsettled!.logs = false;
    const idle = await flusher.flush(20, 'invoke');
    expect(idle.signals.logs).toBe('ok');
    expect(calls).toBe(2);
  });
});

describe('lazyExporter', () => {
  it('loads at the first export only, once, and passes every export through', async () => {
    let loads = 0;
    const seen: unknown[] = [];
    const exp = lazyExporter<string[]>(async () => {
      loads++;
      await sleep(5);
      return { export: (items, cb) => { seen.push(items); cb({ code: 0 }); }, shutdown: async () => {}, forceFlush: async () => {} };
    });
    await exp.forceFlush();
    await exp.shutdown();
    expect(loads).toBe(0);
    const results = await Promise.all([
      new Promise((r) => exp.export(['a'], r)),
      new Promise((r) => exp.export(['b'], r)),
    ]);
    expect(loads).toBe(1);
    expect(results).toEqual([{ code: 0 }, { code: 0 }]);
    expect(seen).toEqual([['a'], ['b']]);
  });

  it('a failed load (or a throwing export) is a failed export; extra methods are there at once', async () => {
    const failing = lazyExporter<string[], { selectX: () => number }>(() => Promise.reject(new Error('no module')), { selectX: () => 7 });
    expect(failing.selectX()).toBe(7);
    const r = await new Promise<{ code: number; error?: Error }>((res) => failing.export(['x'], res));
    expect(r.code).toBe(1);
    expect(r.error?.message).toBe('no module');
    await expect(failing.shutdown()).resolves.toBeUndefined();
    const throwing = lazyExporter<string[]>(async () => ({ export: () => { throw new Error('sync'); }, shutdown: async () => {} }));
    const r2 = await new Promise<{ code: number; error?: Error }>((res) => throwing.export(['x'], res));
    expect(r2).toMatchObject({ code: 1, error: { message: 'sync' } });
  });

  it('preload() loads once ahead of the first export; a failed preload surfaces only as a failed export', async () => {
    let loads = 0;
    const exp = lazyExporter<string[]>(async () => {
      loads++;
      return { export: (_items, cb) => cb({ code: 0 }), shutdown: async () => {} };
    });
    exp.preload();
    exp.preload();
    await sleep(1);
    expect(loads).toBe(1);
    expect(await new Promise((r) => exp.export(['a'], r))).toEqual({ code: 0 });
    expect(loads).toBe(1);

    const rejections: unknown[] = [];
    const onRejection = (e: unknown) => rejections.push(e);
    process.on('unhandledRejection', onRejection);
    try {
      const failing = lazyExporter<string[]>(() => Promise.reject(new Error('no module')));
      failing.preload();
      await sleep(5);
      expect(rejections).toEqual([]);
      const r = await new Promise<{ code: number; error?: Error }>((res) => failing.export(['x'], res));
      expect(r).toMatchObject({ code: 1, error: { message: 'no module' } });
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
