// The bench's pure helpers: order statistics, CPU-profile attribution, table and targets.
import { describe, expect, it } from 'vitest';
import { summarizeProfile, bundleModuleMap, moduleGroup } from '../../bench/lib/profile-summary.mjs';
import { consoleTable, firstCaller, firstCallerTable, issue11Targets, markdownTable, targets } from '../../bench/lib/report.mjs';
import { median, percentile, ratio } from '../../bench/lib/stats.mjs';
import { lambdaHeapFlags, variants } from '../../bench/lib/variants.mjs';

describe('bench stats', () => {
  it('interpolates percentiles and ignores non-finite samples', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5, NaN, Infinity], 100)).toBe(5);
    expect(percentile([10, 20], 99)).toBeCloseTo(19.9);
    expect(median([])).toBeUndefined();
  });
  it('ratio is undefined for missing or non-positive denominators', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeUndefined();
    expect(ratio(undefined, 2)).toBeUndefined();
  });
});

describe('bench profile summary', () => {
  const bundle = [
    '"use strict";',
    '// node_modules/@opentelemetry/api/build/src/api/trace.js',
    'var require_trace = __commonJS({',
    '  "node_modules/@opentelemetry/api/build/src/api/trace.js"(exports) {',
    '    function getTracer() {}',
    '  }',
    '});',
    '// dist/esm/index.js',
    'function withFlush() {}',
  ].join('\n');

  it('maps bundle lines to the module comment that precedes them', () => {
    expect(bundleModuleMap(bundle).map((m) => m.line)).toEqual([1, 7]);
    expect(moduleGroup('node_modules/@opentelemetry/api/build/src/api/trace.js')).toBe('@opentelemetry/api');
    expect(moduleGroup('node_modules/protobufjs/src/x.js')).toBe('protobufjs');
    expect(moduleGroup('dist/esm/index.js')).toBe('otel-lambda-flush');
  });

  it('sums self time per package and function, inside the window only', () => {
    const frame = (functionName: string, url: string, lineNumber: number) => ({ functionName, url, lineNumber, columnNumber: 0, scriptId: '1' });
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', '', -1) },
        { id: 2, callFrame: frame('getTracer', 'file:///x/lib-profile/index.js', 4) },
        { id: 3, callFrame: frame('withFlush', 'file:///x/lib-profile/index.js', 8) },
        { id: 4, callFrame: frame('(garbage collector)', '', -1) },
      ],
      startTime: 1000,
      endTime: 2000,
      // Samples at t = 1100, 1200, 1500, 1600, 1900 (µs).
      samples: [2, 2, 3, 4, 3],
      timeDeltas: [100, 100, 300, 100, 300],
    };
    const s = summarizeProfile(profile, { bundleText: bundle, bundleUrlSuffix: '/lib-profile/index.js', windowUs: [1050, 1650] });
    expect(s.windowed).toBe(true);
    const byName = Object.fromEntries(s.groups.map((g) => [g.name, g.ms]));
    // getTracer: 100 + 300 µs; withFlush at 1500: 100 µs; GC at 1600: 300 µs; 1900 is outside.
    expect(byName['@opentelemetry/api']).toBeCloseTo(0.4);
    expect(byName['otel-lambda-flush']).toBeCloseTo(0.1);
    expect(byName['(garbage collector)']).toBeCloseTo(0.3);
    expect(s.totalMs).toBeCloseTo(0.8);
    expect(s.functions[0]).toMatchObject({ name: 'getTracer', module: 'node_modules/@opentelemetry/api/build/src/api/trace.js' });
  });
});

describe('bench report', () => {
  const results = {
    config: { coldRuns: 10, warmInvokes: 2000, delayedInvokes: 200, delayMs: 50, rssMarks: [100, 1000, 2000] },
    rows: [
      { id: 'bare', label: 'bare', cold: { initMs: 50 }, micro: { cpuUs: 2 }, bundle: { bytes: 1000, gzipBytes: 500 }, warm: { delayed: { p50: 2 }, spans: 0, invokes: 10 } },
      { id: 'sync', label: 'sync', cold: { initMs: 60 }, micro: { cpuUs: 12 }, bundle: { bytes: 100_000, gzipBytes: 30_000 }, rss: { rssGrowthKbPerInvoke: 30, heapGrowthLateKbPerInvoke: 0.1, hwmMidKb: 51_200, heapKb: { 100: 10_240, 1000: 11_264, 2000: 11_366.4 } } },
      { id: 'after-response', label: 'ar', unavailable: 'extension did not register (ran as sync)', cold: { initMs: 55 }, warm: { delayed: { p50: 2.5 } } },
      { id: 'peer', label: 'peer', cold: { initMs: 250 }, bundle: { bytes: 400_000, gzipBytes: 120_000 } },
    ],
  };

  it('puts value and ratios to bare and peer in one cell, n/a with a reason', () => {
    const table = consoleTable(results);
    expect(table).toContain('60.0 ms (×1.20 bare, ×0.24 peer)');
    expect(table).toContain('n/a (extension did not register (ran as sync))');
    expect(table).toContain('50.0 MB');
    expect(table).toContain('10.0 / 11.0 / 11.1 MB');
    expect(markdownTable(results).split('\n')[1]).toBe('|---|---:|---:|---:|---:|');
  });

  it('evaluates the issue targets from the figures', () => {
    const t = Object.fromEntries(targets(results).map((x) => [x.name, x]));
    const cold = t["added cold start (sync) ≤ 25% of the peer's added cold start"];
    expect(cold?.value).toBeCloseTo(10 / 200);
    expect(cold?.ok).toBe(true);
    expect(t['added cold start (sync) ideally ≤ 15 ms']?.ok).toBe(true);
    expect(t['per-invoke CPU of withFlush ≤ 20 µs (minus the bare call)']?.value).toBe(10);
    expect(t['bundle ≤ 50% of the peer (minified)']?.ok).toBe(true);
    expect(t['no memory growth per invoke once warm (sync; heap after full GC, 1000 → 2000 invokes, < 0.5 KB/invoke)']?.ok).toBe(true);
    // A column that is n/a is not judged, even if it has stale figures.
    expect(t['after-response warm p50 within 1 ms of bare at 50 ms receiver latency']?.ok).toBeUndefined();
    expect(t['added cold start (after-response) ideally ≤ 15 ms']?.ok).toBeUndefined();
  });
});

describe('bench first caller and issue-11 goals', () => {
  const results = {
    config: { coldRuns: 10, warmInvokes: 2000, delayedInvokes: 200, delayMs: 50, rssMarks: [100, 1000, 2000] },
    imports: { medianMs: { bare: 1, 'lib-import-only': 3.5 } },
    byo: { bytes: 60_000, gzipBytes: 20_000, libraryBytes: 40_000 },
    rows: [
      { id: 'bare', label: 'bare', baseline: 'bare', cold: { initMs: 50, firstInvokeMs: 2, firstCallerMs: 52 } },
      { id: 'sync', label: 'sync', baseline: 'bare', peerId: 'peer', cold: { initMs: 60, firstInvokeMs: 12, firstCallerMs: 72 }, micro: { cpuUs: 15 }, warm: { immediate: { p99: 4 } }, rss: { hwmMidKb: 90_000 } },
      { id: 'peer', label: 'peer', baseline: 'bare', cold: { initMs: 150, firstInvokeMs: 32, firstCallerMs: 182 }, micro: { cpuUs: 20 }, warm: { immediate: { p99: 5 } }, rss: { hwmMidKb: 100_000 } },
      { id: 'bare-unbundled', label: 'bare u', baseline: 'bare-unbundled', peerId: 'peer-unbundled', cold: { firstCallerMs: 40 } },
      { id: 'sync-unbundled', label: 'sync u', baseline: 'bare-unbundled', peerId: 'peer-unbundled', unavailable: 'failed', cold: { firstCallerMs: 50 } },
      { id: 'peer-unbundled', label: 'peer u', baseline: 'bare-unbundled', cold: { firstCallerMs: 240 } },
    ],
  };

  it('compares added init + first invoke with the peer of the same packaging', () => {
    const f = firstCaller(results, 'sync');
    expect(f.added).toBe(20);
    expect(f.peerAdded).toBe(130);
    expect(f.ratio).toBeCloseTo(20 / 130);
    expect(firstCaller(results, 'sync-unbundled').added).toBeUndefined(); // n/a column: not judged
    const table = firstCallerTable(results);
    expect(table).toContain('| sync | 60.0 ms | 12.0 ms | 72.0 ms | 20.0 ms | ×0.15 |');
    expect(table).toContain('n/a (failed)');
  });

  it('judges each goal, undefined where a figure is missing', () => {
    const t = Object.fromEntries(issue11Targets(results).map((x) => [x.name, x]));
    expect(t["added init + first invoke (sync) ≤ 0.25 × the peer's"]?.ok).toBe(true);
    expect(t["added init + first invoke (sync-unbundled) ≤ 0.25 × the peer's"]?.ok).toBeUndefined();
    expect(t['importing the library and wrapping a handler ≤ 3 ms over a bare module (bundled, minified)']?.ok).toBe(true);
    expect(t["bring-your-own SDK (withFlush only): the library's share of the bundle ≤ 40 KB minified"]?.ok).toBe(true);
    expect(t["per-invoke CPU ≤ 0.75 × the peer's"]?.ok).toBe(true);
    expect(t["warm p99 (sync, receiver 0 ms) ≤ the peer's"]?.ok).toBe(true);
    expect(t["peak RSS (after-response) ≤ the peer's"]?.ok).toBeUndefined();
  });
});

describe('bench variants', () => {
  it("uses Lambda's bootstrap heap limits for the memory size", () => {
    expect(lambdaHeapFlags(128)).toBe('--max-semi-space-size=6 --max-old-space-size=116');
    expect(lambdaHeapFlags(1024)).toBe('--max-semi-space-size=51 --max-old-space-size=922');
  });

  it('marks columns whose bundle failed as n/a and keeps the peer hook flags', () => {
    const rows = variants({ bare: { taskRoot: '/b' }, lib: { error: 'Could not resolve "otel-lambda-flush"' }, peer: { taskRoot: '/p', nodeOptions: '--import /p/h.mjs' } });
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId.sync?.unavailable).toContain('Could not resolve');
    expect(byId.bare?.unavailable).toBeUndefined();
    expect(byId.peer?.env.NODE_OPTIONS).toBe('--import /p/h.mjs');
    expect(byId.bare?.env.NODE_OPTIONS).toBeUndefined();
  });
});
