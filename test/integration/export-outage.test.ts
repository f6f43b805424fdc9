// Issue 13 "Done when": a collector down (connection refused) for 40 invokes then back, a
// black-holed collector, and a long outage: what was kept arrives once the collector answers,
// an invoke while it is down costs about what a healthy one does, none goes past the budget,
// and what is kept stays within its bounds (drops counted) with RSS bounded.
import { describe, expect, it } from 'vitest';
import { flushOutcomes } from './capabilities-helpers.js';
import { arrived, percentile, runInvokes, settle, startExport } from './export-helpers.js';

const SPANS = 2;
const median = (xs: number[]) => percentile(xs, 50);

describe('export reliability when the collector is away (sync mode, setupTelemetry providers)', () => {
  it('down for 40 invokes, then back: every span arrives; warm p50 while down within a few ms of healthy', async () => {
    const { rx, sim, close } = await startExport();
    try {
      await runInvokes(sim, 1000, 5, 0); // cold start and warm-up, not measured
      const healthy = await runInvokes(sim, 0, 40, SPANS);
      await rx.stop();
      const down = await runInvokes(sim, 40, 40, SPANS);
      await rx.resume();
      const got = await settle(rx, sim, 80 * SPANS, 0, 80, 2000);
      console.log(
        `[export-outage] down 40 invokes: lost ${80 * SPANS - got}/${80 * SPANS}; warm p50 healthy ${median(healthy.latencies).toFixed(1)} ms, ` +
          `down ${median(down.latencies).toFixed(1)} ms (p99 ${percentile(down.latencies, 99).toFixed(1)} ms)`,
      );
      expect(got).toBe(80 * SPANS);
      expect(median(down.latencies)).toBeLessThan(median(healthy.latencies) + 15);
    } finally {
      await close();
    }
  }, 60_000);

  it('black hole: no invoke past the budget; what was kept arrives once the collector answers', async () => {
    const { rx, sim, close } = await startExport({ env: { OTEL_LAMBDA_FLUSH_TIMEOUT_MS: '300' } });
    try {
      await runInvokes(sim, 1000, 3, 0);
      rx.setBehavior({ blackHole: true });
      const hole = await runInvokes(sim, 0, 20, SPANS);
      rx.setBehavior({});
      const got = await settle(rx, sim, 20 * SPANS, 0, 20, 2000);
      const { duplicates } = arrived(rx, 0, 20);
      console.log(
        `[export-outage] black hole 20 invokes (budget 300 ms): lost ${20 * SPANS - got}/${20 * SPANS}, duplicates ${duplicates}; ` +
          `p50 ${median(hole.latencies).toFixed(1)} ms, max ${Math.max(...hole.latencies).toFixed(1)} ms`,
      );
      expect(Math.max(...hole.latencies)).toBeLessThan(300 + 250);
      expect(got).toBe(20 * SPANS);
    } finally {
      await close();
    }
  }, 60_000);

  // RSS of the runtime grows for a few thousand invokes whatever the collector does (healthy: 66 ->
  // 120 MB over 3,000 invokes here); the heap in use is what the kept data would inflate.
  it('a long outage: kept items stay at the bound, drops are counted, memory stays bounded', async () => {
    const invokes = Number(process.env.EXPORT_OUTAGE_INVOKES ?? 1000);
    const bound = Number(process.env.EXPORT_OUTAGE_KEEP ?? 2000);
    // 256 MB: the runtime's own RSS growth over thousands of invokes nears 128 MB (see above).
    const { rx, sim, close } = await startExport({ memorySizeMb: 256, env: { EXPORT_FIXTURE_QUIET: '', OTEL_LAMBDA_EXPORT_KEEP_MAX_ITEMS: String(bound) } });
    try {
      await runInvokes(sim, 100_000, 3, 0);
      await rx.stop();
      const run = await runInvokes(sim, 0, invokes, 10);
      const outcomes = flushOutcomes(sim.logs) as unknown as Array<{ status: string; items: { traces: { kept: number; dropped: number } } }>;
      const last = outcomes.at(-1)!;
      const dropped = outcomes.reduce((n, o) => n + (o.items?.traces.dropped ?? 0), 0);
      const rssMb = (b: number) => b / 1048576;
      if (process.env.EXPORT_TEST_DEBUG) console.log(run.rss.filter((_, i) => i % 250 === 0).map((b) => Math.round(rssMb(b))));
      console.log(
        `[export-outage] down ${invokes} invokes x 10 spans: kept ${last.items.traces.kept}, dropped ${dropped}; ` +
          `RSS ${rssMb(run.rss[0]!).toFixed(0)} -> ${rssMb(run.rss.at(-1)!).toFixed(0)} MB (max ${rssMb(Math.max(...run.rss)).toFixed(0)}), ` +
          `heap used max ${rssMb(Math.max(...run.heap)).toFixed(0)} MB; ` +
          `p50 ${median(run.latencies).toFixed(1)} ms`,
      );
      expect(last.items.traces.kept).toBeLessThanOrEqual(bound);
      expect(last.items.traces.kept).toBeGreaterThan(bound / 2);
      expect(last.status).toBe('failed');
      expect(dropped + last.items.traces.kept).toBe(invokes * 11); // 10 spans + the invocation span each
      expect(rssMb(Math.max(...run.heap))).toBeLessThan(80);
      expect(rssMb(Math.max(...run.rss)) - rssMb(run.rss[0]!)).toBeLessThan(120);
      await rx.resume();
      await new Promise((r) => setTimeout(r, 1100));
      for (let i = 0; i < 5 && rx.spans().length < last.items.traces.kept; i++) await sim.invoke({ n: 200_000 + i, spans: 0 });
      await rx.waitFor((r) => r.spans().length >= last.items.traces.kept, 5000).catch(() => undefined);
      expect(rx.spans().length).toBeGreaterThanOrEqual(last.items.traces.kept); // the newest kept ones arrive
    } finally {
      await close();
    }
  }, 120_000);
});
