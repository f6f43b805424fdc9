// setupTelemetry's OTEL_* variables under the real runtime: per-signal endpoints, per-signal
// exporters, the sampler.
import { describe, expect, it } from 'vitest';
import { OtlpReceiver } from '../../src/testing/index.js';
import { startCapability } from './capabilities-helpers.js';
import { invocationSpan } from './core-helpers.js';

describe('setupTelemetry from OTEL_* variables', () => {
  it('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT sends traces elsewhere; metrics and logs stay on the base endpoint', async () => {
    const traces = await OtlpReceiver.start();
    try {
      const { rx, sim, close } = await startCapability('signals.handler', {
        env: { OTEL_METRICS_EXPORTER: 'otlp', OTEL_LOGS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${traces.url}/v1/traces` },
      });
      try {
        const r = await sim.invoke({ n: 1, count: 2 });
        expect(r.status).toBe('success');
        expect(invocationSpan(traces.spans(), r.requestId), 'span at the traces endpoint').toBeDefined();
        expect(rx.spans()).toEqual([]);
        expect(rx.metrics('orders.processed').map((p) => p.value)).toEqual([2]);
        expect(rx.logs().map((l) => l.body)).toEqual(['processed 2']);
        expect(traces.requests().map((q) => q.path)).toEqual(['/v1/traces']);
      } finally {
        await close();
      }
    } finally {
      await traces.close();
    }
  }, 30_000);

  it('OTEL_TRACES_EXPORTER=none: no traces sent, metrics still flushed', async () => {
    const { rx, sim, close } = await startCapability('signals.handler', {
      env: { OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'otlp' },
    });
    try {
      const r = await sim.invoke({ n: 1, count: 4 });
      expect(r.status).toBe('success');
      expect(rx.metrics('orders.processed').map((p) => p.value)).toEqual([4]);
      expect(rx.requests().map((q) => q.path)).toEqual(['/v1/metrics']);
    } finally {
      await close();
    }
  }, 30_000);

  it('OTEL_TRACES_SAMPLER=always_off: the function works, no span is exported', async () => {
    const { rx, sim, close } = await startCapability('trigger-options.handler', { env: { OTEL_TRACES_SAMPLER: 'always_off' } });
    try {
      const r = await sim.invoke({ variant: 'env' });
      expect(r.status).toBe('success');
      expect(r.response).toMatchObject({ sampled: false });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(rx.spans()).toEqual([]);
    } finally {
      await close();
    }
  }, 30_000);
});
