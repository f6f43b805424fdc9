// Issue 10 "Providers before user code": in CommonJS, where setupTelemetry() cannot be awaited,
// a counter created at module scope counts every invoke (with the delta temporality, one point
// per invoke's flush, before its freeze).
import { describe, expect, it } from 'vitest';
import type { OtlpReceiver, ReceiverSnapshot } from '../../src/testing/index.js';
import { startPair } from './core-helpers.js';
import { exportFixtures } from './export-helpers.js';

describe('setupTelemetry() registers its providers before it returns', () => {
  it('CommonJS: a module-scope counter counts every invoke, each at the receiver before the freeze', async () => {
    const holder: { rx?: OtlpReceiver } = {};
    const atFreeze: ReceiverSnapshot[] = [];
    const { rx, sim, close } = await startPair('module-scope.handler', {
      taskRoot: exportFixtures,
      env: { OTEL_METRICS_EXPORTER: 'otlp' },
      onFreeze: () => {
        atFreeze.push(holder.rx!.snapshot());
      },
    });
    holder.rx = rx;
    try {
      for (let n = 0; n < 5; n++) expect((await sim.invoke({ n })).status).toBe('success');
      const total = (s: ReceiverSnapshot) => s.metrics.filter((p) => p.name === 'module_scope.invocations').reduce((a, p) => a + (p.value as number), 0);
      expect(atFreeze.map(total)).toEqual([1, 2, 3, 4, 5]);
    } finally {
      await close();
    }
  }, 60_000);
});

describe('setupTelemetry({ instrumentations })', () => {
  it('gives each instrumentation the providers and enables it', async () => {
    const { rx, sim, close } = await startPair('instrumented.handler', { taskRoot: exportFixtures });
    try {
      for (let n = 0; n < 3; n++) expect((await sim.invoke({ n })).status).toBe('success');
      const spans = rx.spans({ name: 'instrumented' });
      expect(spans.map((s) => s.attributes['invoke.n'])).toEqual([0, 1, 2]);
      expect(spans.every((s) => s.attributes.enabled === true && s.scope.name === 'probe-instrumentation')).toBe(true);
    } finally {
      await close();
    }
  }, 60_000);
});
