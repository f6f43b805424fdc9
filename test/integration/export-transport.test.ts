// OTLP JSON lines on stdout (OTEL_TRACES_EXPORTER=otlp/stdout, and as the fallback when the
// collector stays unreachable), and SIGTERM delivering what was kept.
import { describe, expect, it } from 'vitest';
import { flushOutcomes } from './capabilities-helpers.js';
import { startPair } from './core-helpers.js';
import { arrived, exportFixtures, runInvokes, startExport } from './export-helpers.js';

interface OtlpLine {
  resourceSpans: Array<{ resource: { attributes: Array<{ key: string }> }; scopeSpans: Array<{ spans: Array<{ name: string; attributes: Array<{ key: string; value: { intValue?: string | number } }> }> }> }>;
}

/** Spans of the OTLP JSON lines the function wrote to stdout. */
function stdoutSpans(logs: readonly string[]): Array<{ name: string; n?: number }> {
  return logs.flatMap((line) => {
    const at = line.indexOf('{"resourceSpans"');
    if (at < 0) return [];
    const body = JSON.parse(line.slice(at)) as OtlpLine;
    return body.resourceSpans.flatMap((rs) =>
      rs.scopeSpans.flatMap((ss) =>
        ss.spans.map((s) => ({ name: s.name, n: Number(s.attributes.find((a) => a.key === 'invoke.n')?.value.intValue ?? NaN) })),
      ),
    );
  });
}

describe('stdout transport', () => {
  it('OTEL_TRACES_EXPORTER=otlp/stdout: every span as OTLP JSON on stdout before the freeze, nothing on the network', async () => {
    const { rx, sim, close } = await startExport({ env: { OTEL_TRACES_EXPORTER: 'otlp/stdout', EXPORT_FIXTURE_QUIET: '' } });
    try {
      await runInvokes(sim, 0, 5, 2);
      const spans = stdoutSpans(sim.logs).filter((s) => s.name === 'work');
      expect(spans.map((s) => s.n).sort()).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
      expect(rx.requests()).toHaveLength(0);
      for (const o of flushOutcomes(sim.logs).slice(1)) expect(o.status).toBe('ok');
    } finally {
      await close();
    }
  }, 60_000);

  it('OTEL_LAMBDA_EXPORT_FALLBACK=stdout: what the keep bounds would drop goes to stdout instead', async () => {
    const { rx, sim, close } = await startExport({
      env: { OTEL_LAMBDA_EXPORT_FALLBACK: 'stdout', OTEL_LAMBDA_EXPORT_KEEP_MAX_ITEMS: '20' },
    });
    try {
      await runInvokes(sim, 1000, 2, 0);
      await rx.stop();
      await runInvokes(sim, 0, 30, 2);
      await rx.resume();
      await new Promise((r) => setTimeout(r, 1100));
      await sim.invoke({ n: 2000, spans: 0 });
      await rx.waitFor((r) => r.spans({ name: 'work' }).length > 0, 5000);
      const viaStdout = new Set(stdoutSpans(sim.logs).filter((s) => s.name === 'work').map((s) => s.n));
      const viaCollector = new Set(rx.spans({ name: 'work' }).map((s) => s.attributes['invoke.n'] as number));
      for (let n = 0; n < 30; n++) expect(viaStdout.has(n) || viaCollector.has(n), `invoke ${n}`).toBe(true);
      expect(viaStdout.size).toBeGreaterThan(0);
    } finally {
      await close();
    }
  }, 60_000);
});

describe('SIGTERM', () => {
  it('delivers what was kept while the collector was down, even with the breaker open', async () => {
    const { rx, sim, close } = await startExport({ env: { OTEL_LAMBDA_EXTENSION: 'true', OTEL_LAMBDA_EXPORT_PROBE_MAX_MS: '60000' } });
    try {
      await runInvokes(sim, 1000, 2, 0);
      await rx.stop();
      await runInvokes(sim, 0, 10, 2);
      await rx.resume();
      const s = await sim.shutdown();
      expect(s.signal).toBe('SIGTERM');
      await rx.waitFor((r) => arrived(r, 0, 10).distinct === 20, 3000);
    } finally {
      await close();
    }
  }, 60_000);
});

describe('reliableExporter() around a user-built provider', () => {
  it('keeps what failed while the collector was down and delivers it when it is back', async () => {
    const { rx, sim, close } = await startPair('own-reliable.handler', { taskRoot: exportFixtures });
    try {
      await sim.invoke({ n: 1000 });
      await rx.stop();
      for (let n = 0; n < 10; n++) expect((await sim.invoke({ n })).status).toBe('success');
      await rx.resume();
      for (let i = 0; i < 10 && arrived(rx, 0, 10).distinct < 10; i++) {
        await new Promise((r) => setTimeout(r, 300));
        await sim.invoke({ n: 2000 + i });
      }
      expect(arrived(rx, 0, 10).distinct).toBe(10);
    } finally {
      await close();
    }
  }, 60_000);
});
