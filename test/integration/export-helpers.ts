// Shared by the export reliability tests: a receiver + simulator on the export fixture, a run
// of invokes (a freeze after each) and what arrived.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LambdaSimulator, OtlpReceiver, ReceiverBehavior, SimulatorOptions } from '../../src/testing/index.js';
import { startPair } from './core-helpers.js';

export const exportFixtures = fileURLToPath(new URL('../fixtures/export/', import.meta.url));

export function startExport(opts: Partial<SimulatorOptions> & { env?: Record<string, string> } = {}): ReturnType<typeof startPair> {
  return startPair('reliable.handler', {
    taskRoot: exportFixtures,
    ...opts,
    env: { EXPORT_FIXTURE_QUIET: '1', OTEL_LAMBDA_EXPORT_PROBE_MAX_MS: '1000', ...opts.env },
  });
}

export interface RunStats {
  latencies: number[];
  rss: number[];
  heap: number[];
}

/** Invokes `count` times (numbered from `from`), each making `spans` spans. */
export async function runInvokes(sim: LambdaSimulator, from: number, count: number, spans: number, between?: () => Promise<void>): Promise<RunStats> {
  const out: RunStats = { latencies: [], rss: [], heap: [] };
  for (let n = from; n < from + count; n++) {
    const r = await sim.invoke({ n, spans });
    if (r.status !== 'success') throw new Error(`invoke ${n}: ${r.status} ${JSON.stringify(r.error)}`);
    out.latencies.push(r.latencyMs);
    out.rss.push((r.response as { rss: number }).rss);
    out.heap.push((r.response as { heap: number }).heap);
    if (between) await between();
  }
  return out;
}

/** Distinct (invoke, span) pairs received for invokes in [from, to), and duplicates. */
export function arrived(rx: OtlpReceiver, from: number, to: number): { distinct: number; duplicates: number } {
  const seen = new Set<string>();
  let duplicates = 0;
  for (const s of rx.spans({ name: 'work' })) {
    const n = s.attributes['invoke.n'] as number;
    if (n < from || n >= to) continue;
    const key = `${n}/${String(s.attributes['span.i'])}`;
    if (seen.has(key)) duplicates++;
    else seen.add(key);
  }
  return { distinct: seen.size, duplicates };
}

/** Clean invokes (the collector healthy again) until every expected span arrived, bounded. */
export async function settle(rx: OtlpReceiver, sim: LambdaSimulator, expected: number, from: number, to: number, next: number): Promise<number> {
  for (let i = 0; i < 20 && arrived(rx, from, to).distinct < expected; i++) {
    await new Promise((r) => setTimeout(r, 250));
    await sim.invoke({ n: next + i, spans: 0 });
  }
  return arrived(rx, from, to).distinct;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const cases: Array<[string, ReceiverBehavior, number]> = [
  ['healthy collector (baseline)', {}, 0],
  ['20 % answered 503', { failureRate: 0.2 }, 0],
  ['20 % answered 429 with Retry-After: 1', { throttleRate: 0.2, retryAfterSeconds: 1 }, 0],
  ['20 % of connections reset', { resetRate: 0.2 }, 0],
  ['connections forgotten while frozen (reset on reuse)', { forgetIdleConnectionsMs: 30 }, 40],
];

/**
 * Issue 13's fault runs: per collector behaviour, `EXPORT_TEST_INVOKES` invokes (default
 * `defaultInvokes`; the issue's figure is 500) with a freeze after each, then a clean invoke or few: nothing lost.
 */
export function faultSuite(mode: string, env: Record<string, string>, defaultInvokes: number): void {
  const INVOKES = Number(process.env.EXPORT_TEST_INVOKES ?? defaultInvokes);
  const SPANS = 2;
  describe(`export reliability under collector faults (${mode} mode, setupTelemetry providers)`, () => {
    for (const [name, behavior, pauseMs] of cases) {
      it(`${name}: 0 spans lost`, async () => {
        const { rx, sim, close } = await startExport({ env });
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
          console.log(`[export-faults ${mode}] ${name}: lost ${INVOKES * SPANS - got}/${INVOKES * SPANS}, duplicates ${duplicates}, warm latency p50 ${p50.toFixed(1)} ms p99 ${p99.toFixed(1)} ms`);
          expect(got).toBe(INVOKES * SPANS);
          expect(Math.max(...run.latencies)).toBeLessThan(1500); // flush budget 1000 ms + invoke overhead
        } finally {
          await close();
        }
      }, 120_000);
    }
  });
}
