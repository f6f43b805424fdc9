import { describe, expect, it } from 'vitest';
import { AfterResponseStrategy } from '../../src/flush/after-response-strategy.js';
import { AdaptiveRule, DEFAULT_ADAPTIVE, periodicFlushDue, type PeriodicSettings } from '../../src/flush/modes.js';
import { PeriodicStrategy } from '../../src/flush/periodic-strategy.js';
import type { FlushOutcome, FlushReason, InvokeEnd } from '../../src/flush/types.js';

const settings: PeriodicSettings = { intervalMs: 10_000, maxPending: 100, nearDeadlineMs: 1000 };

describe('periodicFlushDue', () => {
  const base = { now: 50_000, lastFlushAt: 45_000, pending: 0, deadlineMs: 50_000 + 3000 };
  it('flushes the first invoke of the process', () => {
    expect(periodicFlushDue({ ...base, lastFlushAt: undefined }, settings)).toBe('first');
  });
  it('holds while nothing is due', () => {
    expect(periodicFlushDue(base, settings)).toBeUndefined();
  });
  it('flushes when the interval passed', () => {
    expect(periodicFlushDue({ ...base, lastFlushAt: 40_000 }, settings)).toBe('interval');
    expect(periodicFlushDue({ ...base, lastFlushAt: 40_001 }, settings)).toBeUndefined();
  });
  it('flushes when more than maxPending items wait', () => {
    expect(periodicFlushDue({ ...base, pending: 101 }, settings)).toBe('pending');
    expect(periodicFlushDue({ ...base, pending: 100 }, settings)).toBeUndefined();
  });
  it('flushes an invoke that ended near its deadline', () => {
    expect(periodicFlushDue({ ...base, deadlineMs: base.now + 999 }, settings)).toBe('deadline');
    expect(periodicFlushDue({ ...base, deadlineMs: base.now + 1000 }, settings)).toBeUndefined();
  });
});

describe('AdaptiveRule', () => {
  const make = () => new AdaptiveRule({ ...DEFAULT_ADAPTIVE, pauseGapMs: 10_000 });
  const feed = (rule: AdaptiveRule, start: number, gap: number, n: number) => {
    let t = start;
    const choices = [];
    for (let i = 0; i < n; i++) choices.push(rule.arrive((t += gap)));
    return { t, choices };
  };

  it('stays per-invoke for infrequent traffic', () => {
    const rule = make();
    const { choices } = feed(rule, 0, 5000, 40);
    expect(new Set(choices)).toEqual(new Set(['per-invoke']));
  });

  it('needs minSamples gaps before switching, then goes periodic for steady high-rate traffic', () => {
    const rule = make();
    const { choices } = feed(rule, 0, 100, 20);
    // 1 arrival gives no gap: the 9th arrival gives the 8th gap.
    expect(choices.slice(0, 8)).toEqual(Array(8).fill('per-invoke'));
    expect(choices[8]).toBe('periodic');
    expect(choices.slice(8).every((c) => c === 'periodic')).toBe(true);
  });

  it('has hysteresis between the enter and leave thresholds', () => {
    const rule = make();
    let { t } = feed(rule, 0, 100, 20);
    expect(rule.choice).toBe('periodic');
    // 750 ms gaps: above enter (500) but below leave (1000): stays periodic.
    ({ t } = feed(rule, t, 750, 16));
    expect(rule.choice).toBe('periodic');
    // 1500 ms gaps push the median over leave: back to per-invoke, and 750 ms does not re-enter.
    ({ t } = feed(rule, t, 1500, 16));
    expect(rule.choice).toBe('per-invoke');
    feed(rule, t, 750, 16);
    expect(rule.choice).toBe('per-invoke');
  });

  it('goes back to per-invoke at once after a pause', () => {
    const rule = make();
    const { t } = feed(rule, 0, 100, 20);
    expect(rule.arrive(t + 10_000)).toBe('per-invoke');
    expect(rule.arrive(t + 10_100)).toBe('periodic'); // the window is still mostly 100 ms gaps
  });

  it('keeps a bounded window: old gaps are forgotten', () => {
    const rule = make();
    const { t } = feed(rule, 0, 5000, 100);
    expect(rule.medianGap()).toBe(5000);
    feed(rule, t, 100, 16);
    expect(rule.medianGap()).toBe(100);
    expect(rule.choice).toBe('periodic');
  });

  it('computes the median of an even window', () => {
    const rule = new AdaptiveRule({ windowSize: 4, minSamples: 1, enterGapMs: 1, leaveGapMs: 2, pauseGapMs: 1e9 });
    [0, 10, 30, 60, 100].forEach((t) => rule.arrive(t));
    expect(rule.medianGap()).toBe(25); // gaps 10, 20, 30, 40
  });

  it('rejects impossible settings', () => {
    expect(() => new AdaptiveRule({ windowSize: 4, minSamples: 5, enterGapMs: 1, leaveGapMs: 2, pauseGapMs: 3 })).toThrow(RangeError);
  });
});

/** Lets `n` turns of the event loop pass. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

/** A fake flush that settles when told, and a gate that records releases. */
function harness() {
  const flushes: FlushReason[] = [];
  const done: string[] = [];
  let settle: (() => void) | undefined;
  const outcome = (reason: FlushReason): FlushOutcome => ({
    reason,
    durationMs: 1,
    budgetMs: 100,
    status: 'ok',
    signals: { traces: 'ok', metrics: 'ok', logs: 'skipped' },
  });
  const end = (requestId: string, deadlineMs: number, manual = false): InvokeEnd => ({
    requestId,
    deadlineMs,
    flush: (reason) => {
      flushes.push(reason);
      if (!manual) return Promise.resolve(outcome(reason));
      return new Promise((r) => (settle = () => r(outcome(reason))));
    },
  });
  return { flushes, done, end, settle: () => settle?.(), gate: { gating: true, done: (id: string) => done.push(id) } };
}

describe('AfterResponseStrategy', () => {
  it('resolves before the flush settles and releases the invoke when it does', async () => {
    const h = harness();
    const s = new AfterResponseStrategy({ gate: h.gate });
    await s.onInvokeEnd(h.end('r1', Date.now() + 3000, true));
    // Not even started yet: the runtime client posts the response first.
    expect(h.flushes).toEqual([]);
    await turns(3);
    expect(h.flushes).toEqual(['invoke']);
    expect(h.done).toEqual([]);
    h.settle();
    await turns(1);
    expect(h.done).toEqual(['r1']);
  });

  it('flushes before returning when the extension is not holding invokes', async () => {
    const h = harness();
    const s = new AfterResponseStrategy({ gate: { gating: false, done: (id: string) => h.done.push(id) } });
    const p = s.onInvokeEnd(h.end('r2', Date.now() + 3000, true));
    let resolved = false;
    void p.then(() => (resolved = true));
    await new Promise((r) => setImmediate(r));
    expect(resolved).toBe(false);
    h.settle();
    await p;
    expect(h.done).toEqual(['r2']);
  });
});

describe('PeriodicStrategy', () => {
  it('adaptive: a high-rate run flushes far less than once per invoke, and every invoke is released', async () => {
    const h = harness();
    let now = 1_000_000;
    const s = new PeriodicStrategy({
      mode: 'adaptive',
      periodic: { intervalMs: 2000, maxPending: 1_000_000, nearDeadlineMs: 100 },
      adaptive: { ...DEFAULT_ADAPTIVE, pauseGapMs: 2000 },
      pending: () => 0,
      links: { gate: h.gate },
      now: () => now,
    });
    for (let i = 0; i < 200; i++) {
      now += 50;
      await s.onInvokeEnd(h.end(`r${i}`, now + 3000));
    }
    await turns(3);
    expect(h.done).toHaveLength(200);
    expect(new Set(h.done).size).toBe(200);
    // 8 warm-up invokes per-invoke, then one flush every 2 s of the 10 s run.
    expect(h.flushes.length).toBeGreaterThanOrEqual(9);
    expect(h.flushes.length).toBeLessThan(20);
    expect(s.rule?.choice).toBe('periodic');
  });

  it('adaptive: infrequent traffic flushes every invoke', async () => {
    const h = harness();
    let now = 0;
    const s = new PeriodicStrategy({
      mode: 'adaptive',
      periodic: settings,
      adaptive: { ...DEFAULT_ADAPTIVE, pauseGapMs: 10_000 },
      pending: () => 0,
      links: { gate: h.gate },
      now: () => now,
    });
    for (let i = 0; i < 20; i++) {
      now += 3000;
      await s.onInvokeEnd(h.end(`r${i}`, now + 3000));
    }
    await turns(3);
    expect(h.flushes).toEqual(Array(20).fill('invoke'));
  });

  it('periodic: flushes on pending items, holds otherwise, releases held invokes at once', async () => {
    const h = harness();
    let pending = 0;
    let now = 0;
    const s = new PeriodicStrategy({ mode: 'periodic', periodic: settings, adaptive: { ...DEFAULT_ADAPTIVE, pauseGapMs: 1 }, pending: () => pending, links: { gate: h.gate }, now: () => now });
    await s.onInvokeEnd(h.end('a', 1e9));
    expect(s.last).toMatchObject({ flushed: true, why: 'first' });
    now += 10;
    await s.onInvokeEnd(h.end('b', 1e9));
    expect(s.last).toMatchObject({ flushed: false, why: 'held' });
    await turns(3);
    expect(h.done).toContain('b');
    pending = 101;
    now += 10;
    await s.onInvokeEnd(h.end('c', 1e9));
    expect(s.last).toMatchObject({ flushed: true, why: 'pending' });
    await turns(3);
    expect([...h.done].sort()).toEqual(['a', 'b', 'c']);
    expect(h.flushes).toEqual(['periodic', 'periodic']);
  });

  it('periodic without the extension flushes before returning when due', async () => {
    const h = harness();
    const s = new PeriodicStrategy({ mode: 'periodic', periodic: settings, adaptive: { ...DEFAULT_ADAPTIVE, pauseGapMs: 1 }, pending: () => 0 });
    const p = s.onInvokeEnd(h.end('x', Date.now() + 5000, true));
    let resolved = false;
    void p.then(() => (resolved = true));
    await new Promise((r) => setImmediate(r));
    expect(resolved).toBe(false);
    h.settle();
    await p;
    expect(resolved).toBe(true);
  });
});
