// The reliable exporter against scripted inner exporters: keep, bounds, retries within the
// budget, Retry-After, circuit breaker, stale sockets, rejections, fallback.
import { afterEach, describe, expect, it } from 'vitest';
import { ExportAttemptError, classifyFailure } from '../../../src/providers/reliable/classify.js';
import { drainables, reliableExporter } from '../../../src/providers/reliable/exporter.js';
import { exportControl, snapshotStats } from '../../../src/providers/reliable/stats.js';

type Reply = 'ok' | 'hang' | Error;

/** An exporter that answers each call with the next scripted reply (then `ok`). */
function scripted(replies: Reply[]) {
  const calls: string[][] = [];
  return {
    calls,
    export(items: Array<{ name: string }>, cb: (r: { code: number; error?: Error }) => void) {
      calls.push(items.map((i) => i.name));
      const reply = replies.shift() ?? 'ok';
      if (reply === 'hang') return;
      setTimeout(() => cb(reply === 'ok' ? { code: 0 } : { code: 1, error: reply }), 1);
    },
    shutdown: () => Promise.resolve(),
  };
}

const spans = (...names: string[]) => names.map((name) => ({ name, attributes: {} }));
const send = (exp: { export: (i: any, cb: (r: { code: number }) => void) => void }, items: unknown) =>
  new Promise<number>((resolve) => exp.export(items, (r) => resolve(r.code)));
const http = (status: number) => Object.assign(new Error(`HTTP ${status}`), { code: status });
const net = (code: string) => Object.assign(new Error(code), { code });
const kept = (exp: unknown) => (exp as { kept(): number }).kept();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(async () => {
  exportControl().deadline = undefined;
  for (const d of [...drainables()]) drainables().delete(d);
});

describe('reliableExporter', () => {
  it('retries 503 / 429 without Retry-After / connection errors within the budget, counting retries', async () => {
    const inner = scripted([http(503), net('ECONNREFUSED')]);
    const exp = reliableExporter(inner, { signal: 'traces', timeoutMs: 1000 });
    const before = snapshotStats().traces;
    const t0 = performance.now();
    expect(await send(exp, spans('a', 'b'))).toBe(0);
    expect(performance.now() - t0).toBeLessThan(800);
    expect(inner.calls).toEqual([['a', 'b'], ['a', 'b'], ['a', 'b']]);
    const after = exportControl().stats.traces;
    expect(after.exported - before.exported).toBe(2);
    expect(after.retried - before.retried).toBe(4);
    expect(kept(exp)).toBe(0);
  });

  it('keeps what failed within the budget and sends it first, merged, at the next drain', async () => {
    const inner = scripted([http(503)]);
    const exp = reliableExporter(inner, { signal: 'logs', timeoutMs: 30 }); // no time for a retry
    await send(exp, spans('old'));
    expect(kept(exp)).toBe(1);
    await sleep(1100); // past the breaker's cooldown, should it have opened
    await send(exp, spans('new'));
    expect(inner.calls.at(-1)).toEqual(['old', 'new']);
    expect(kept(exp)).toBe(0);
  });

  it('honours Retry-After: keeps at once instead of waiting, and makes no attempt before it is due', async () => {
    const inner = scripted([new ExportAttemptError('429', true, 300)]);
    const exp = reliableExporter(inner, { signal: 'metrics', timeoutMs: 1000 });
    const t0 = performance.now();
    await send(exp, spans('a'));
    expect(performance.now() - t0).toBeLessThan(100);
    await send(exp, spans('b'));
    expect(inner.calls).toHaveLength(1);
    await sleep(320);
    await drainables().values().next().value!.drain();
    expect(inner.calls.at(-1)).toEqual(['a', 'b']);
  });

  it('opens the breaker after consecutive failures: exports return at once; a probe after the cooldown recovers', async () => {
    const inner = scripted([net('ECONNREFUSED'), net('ECONNREFUSED'), net('ECONNREFUSED')]);
    const exp = reliableExporter(inner, { signal: 'traces', timeoutMs: 2000 });
    await send(exp, spans('a'));
    expect(inner.calls).toHaveLength(3);
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) await send(exp, spans(`b${i}`));
    expect(performance.now() - t0).toBeLessThan(100);
    expect(inner.calls).toHaveLength(3);
    await sleep(1050);
    await send(exp, spans('c'));
    expect(inner.calls[3]![0]).toBe('a'); // the probe carries the oldest kept batch
    expect(kept(exp)).toBe(0);
  });

  it('retries a stale keep-alive socket (ECONNRESET / EPIPE) at once', async () => {
    const inner = scripted([net('ECONNRESET'), net('EPIPE')]);
    const exp = reliableExporter(inner, { signal: 'traces', timeoutMs: 1000 });
    const t0 = performance.now();
    await send(exp, spans('a'));
    expect(performance.now() - t0).toBeLessThan(50);
    expect(inner.calls).toHaveLength(3);
  });

  it('bounds what it keeps by items and bytes, dropping the oldest first and counting them', async () => {
    const inner = scripted(Array.from({ length: 50 }, () => http(503)));
    const exp = reliableExporter(inner, { signal: 'logs', timeoutMs: 20, maxKeptItems: 5 });
    const dropped = exportControl().stats.logs.dropped;
    for (let i = 0; i < 8; i++) await send(exp, spans(`x${i}`));
    expect(kept(exp)).toBe(5);
    expect(exportControl().stats.logs.dropped - dropped).toBe(3);
    const bytes = reliableExporter(scripted([http(503)]), { signal: 'metrics', timeoutMs: 20, maxKeptBytes: 1000 });
    await send(bytes, [{ name: 'big', attributes: { v: 'y'.repeat(5000) } }]);
    expect(exportControl().stats.metrics.dropped).toBeGreaterThanOrEqual(1);
  });

  it('drops a batch the collector rejects for good (400) without retrying it', async () => {
    const inner = scripted([http(400)]);
    const exp = reliableExporter(inner, { signal: 'traces', timeoutMs: 1000 });
    const dropped = exportControl().stats.traces.dropped;
    await send(exp, spans('bad'));
    expect(inner.calls).toHaveLength(1);
    expect(exportControl().stats.traces.dropped - dropped).toBe(1);
  });

  it('an exporter that never answers costs at most the flush deadline; the batch is kept', async () => {
    const inner = scripted(['hang']);
    const exp = reliableExporter(inner, { signal: 'traces' });
    exportControl().deadline = performance.now() + 100;
    const t0 = performance.now();
    await send(exp, spans('h'));
    expect(performance.now() - t0).toBeLessThan(300);
    expect(kept(exp)).toBe(1);
  });

  it('writes what it would drop to the fallback, and what is left at shutdown', async () => {
    const spilled: string[][] = [];
    const fallback = { export: (items: Array<{ name: string }>, cb: (r: { code: number }) => void) => (spilled.push(items.map((i) => i.name)), cb({ code: 0 })), shutdown: () => Promise.resolve() };
    const exp = reliableExporter(scripted(Array.from({ length: 50 }, () => http(503))), { signal: 'logs', timeoutMs: 20, maxKeptItems: 1, fallback });
    await send(exp, spans('a'));
    await send(exp, spans('b'));
    expect(spilled).toEqual([['a']]);
    await exp.shutdown();
    expect(spilled).toEqual([['a'], ['b']]);
  });

  it('rejects what is not an exporter', () => {
    expect(() => reliableExporter({} as never)).toThrow(TypeError);
  });
});

describe('classifyFailure', () => {
  it('408 / 429 / 5xx / network errors retry; other 4xx do not; unknown errors are kept', () => {
    for (const s of [408, 429, 500, 502, 503, 504]) expect(classifyFailure(http(s)).retryable).toBe(true);
    for (const s of [400, 401, 403, 404, 413]) expect(classifyFailure(http(s)).retryable).toBe(false);
    expect(classifyFailure(net('ECONNRESET'))).toEqual({ retryable: true, staleSocket: true });
    expect(classifyFailure(new Error('what'))).toEqual({ retryable: true, staleSocket: false });
    expect(classifyFailure(new ExportAttemptError('x', true, 1000, net('EPIPE')))).toEqual({ retryable: true, staleSocket: true, retryAfterMs: 1000 });
  });
});
