// Issue 13 "Done when": 500 invokes (a freeze after each) against a collector answering 20 %
// 503, 20 % 429 + Retry-After, resetting 20 % of connections, or forgetting connections while
// the function is frozen: no span lost by the end of the run (a clean invoke may deliver the
// last kept batch), no invoke past the flush budget.
import { describe, expect, it } from 'vitest';
import type { ReceiverBehavior } from '../../src/testing/index.js';
import { arrived, percentile, runInvokes, settle, startExport } from './export-helpers.js';

const INVOKES = Number(process.env.EXPORT_TEST_INVOKES ?? 500);
const SPANS = 2;

const cases: Array<[string, ReceiverBehavior, number]> = [
  ['healthy collector (baseline)', {}, 0],
  ['20 % answered 503', { failureRate: 0.2 }, 0],
  ['20 % answered 429 with Retry-After: 1', { throttleRate: 0.2, retryAfterSeconds: 1 }, 0],
  ['20 % of connections reset', { resetRate: 0.2 }, 0],
  ['connections forgotten while frozen (reset on reuse)', { forgetIdleConnectionsMs: 30 }, 40],
];

describe('export reliability under collector faults (sync mode, setupTelemetry providers)', () => {
  for (const [name, behavior, pauseMs] of cases) {
    it(`${name}: 0 spans lost`, async () => {
      const { rx, sim, close } = await startExport();
      try {
        rx.setBehavior(behavior);
        const pause = pauseMs > 0 ? () => new Promise<void>((r) => setTimeout(r, pauseMs)) : undefined;
        const run = await runInvokes(sim, 0, INVOKES, SPANS, pause);
        rx.setBehavior({});
        const got = await settle(rx, sim, INVOKES * SPANS, 0, INVOKES, INVOKES);
        const { duplicates } = arrived(rx, 0, INVOKES);
        const warm = run.latencies.slice(1); // the cold invoke also loads the exporter
        const p50 = percentile(warm, 50);
        const p99 = percentile(warm, 99);
        if (process.env.EXPORT_TEST_DEBUG) console.log(run.latencies.map((l, i) => [i, Math.round(l)]).sort((a, b) => b[1]! - a[1]!).slice(0, 12));
        console.log(`[export-faults] ${name}: lost ${INVOKES * SPANS - got}/${INVOKES * SPANS}, duplicates ${duplicates}, warm latency p50 ${p50.toFixed(1)} ms p99 ${p99.toFixed(1)} ms`);
        expect(got).toBe(INVOKES * SPANS);
        expect(Math.max(...run.latencies)).toBeLessThan(1500); // flush budget 1000 ms + invoke overhead
      } finally {
        await close();
      }
    }, 120_000);
  }
});
