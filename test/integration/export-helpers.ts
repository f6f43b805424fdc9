// Shared by the export reliability tests: a receiver + simulator on the export fixture, a run
// of invokes (a freeze after each) and what arrived.
import { fileURLToPath } from 'node:url';
import type { LambdaSimulator, OtlpReceiver, SimulatorOptions } from '../../src/testing/index.js';
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
}

/** Invokes `count` times (numbered from `from`), each making `spans` spans. */
export async function runInvokes(sim: LambdaSimulator, from: number, count: number, spans: number, between?: () => Promise<void>): Promise<RunStats> {
  const out: RunStats = { latencies: [], rss: [] };
  for (let n = from; n < from + count; n++) {
    const r = await sim.invoke({ n, spans });
    if (r.status !== 'success') throw new Error(`invoke ${n}: ${r.status} ${JSON.stringify(r.error)}`);
    out.latencies.push(r.latencyMs);
    out.rss.push((r.response as { rss: number }).rss);
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
