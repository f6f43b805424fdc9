// README "Use" / setupTelemetry: metrics and logs are flushed with the spans (sync mode), the
// Lambda resource from the environment, and OTEL_SDK_DISABLED.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LambdaSimulator, OtlpReceiver, ReceiverSnapshot } from '../../src/testing/index.js';
import { startCapability } from './capabilities-helpers.js';
import { invocationSpan } from './core-helpers.js';

describe('sync mode flushes metrics and logs too', () => {
  let rx: OtlpReceiver;
  let sim: LambdaSimulator;
  let close: () => Promise<void>;
  const atFreeze = new Map<string, ReceiverSnapshot>();

  beforeAll(async () => {
    ({ rx, sim, close } = await startCapability('signals.handler', {
      env: { OTEL_METRICS_EXPORTER: 'otlp', OTEL_LOGS_EXPORTER: 'otlp' },
      onFreeze: ({ requestId }) => {
        atFreeze.set(requestId, rx.snapshot());
      },
    }));
  });
  afterAll(() => close?.());

  it('the counter (delta) and the log record (in the invocation trace) are at the receiver at each freeze', async () => {
    const counts = [3, 5];
    for (const [n, count] of counts.entries()) {
      const r = await sim.invoke({ n, count });
      expect(r.status).toBe('success');
      expect(r.frozen).toBe(true);
      const seen = atFreeze.get(r.requestId);
      expect(seen, 'onFreeze ran').toBeDefined();
      const span = invocationSpan(seen!.spans, r.requestId);
      expect(span, 'invocation span at the freeze').toBeDefined();
      expect((r.response as { traceId: string }).traceId).toBe(span!.traceId);

      const points = seen!.metrics.filter((p) => p.name === 'orders.processed');
      // Delta temporality: each export carries only this invoke's increment.
      expect(points.map((p) => p.value)).toEqual(counts.slice(0, n + 1));
      const last = points.at(-1)!;
      expect(last).toMatchObject({ type: 'sum', temporality: 'delta', monotonic: true, unit: '{order}', attributes: { 'order.kind': 'test' } });
      expect(last.resource['faas.name']).toBe('test-function');

      const records = seen!.logs.filter((l) => l.body === `processed ${count}`);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ severityText: 'INFO', attributes: { n }, traceId: span!.traceId, spanId: span!.spanId });
      expect(records[0]!.scope.name).toBe('capabilities');
    }
  }, 30_000);
});

describe('setupTelemetry resource', () => {
  it('Lambda attributes from the environment; OTEL_SERVICE_NAME wins; OTEL_RESOURCE_ATTRIBUTES merged', async () => {
    const { rx, sim, close } = await startCapability('plain.handler', {
      functionName: 'orders-fn',
      functionVersion: '7',
      memorySizeMb: 512,
      region: 'eu-west-3',
      env: { OTEL_SERVICE_NAME: 'orders-service', OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=staging,team=pay%20ments' },
    });
    try {
      const r = await sim.invoke({ n: 1 });
      expect(r.status).toBe('success');
      const span = invocationSpan(rx.spans(), r.requestId);
      expect(span, 'invocation span').toBeDefined();
      expect(span!.resource).toMatchObject({
        'service.name': 'orders-service',
        'cloud.provider': 'aws',
        'cloud.platform': 'aws_lambda',
        'cloud.region': 'eu-west-3',
        'faas.name': 'orders-fn',
        'faas.version': '7',
        'faas.max_memory': 512 * 1024 * 1024,
        'deployment.environment.name': 'staging',
        team: 'pay ments',
      });
      // faas.instance is the log stream name the process got (the handler returns it).
      const { logStream } = r.response as { logStream: string };
      expect(logStream).toMatch(/\/\[7\][0-9a-f]{32}$/);
      expect(span!.resource['faas.instance']).toBe(logStream);
    } finally {
      await close();
    }
  }, 30_000);

  it('without OTEL_SERVICE_NAME, service.name is the function name even when OTEL_RESOURCE_ATTRIBUTES has none', async () => {
    const { rx, sim, close } = await startCapability('plain.handler', {
      functionName: 'billing-fn',
      env: { OTEL_RESOURCE_ATTRIBUTES: 'team=billing' },
    });
    try {
      const r = await sim.invoke({});
      const span = invocationSpan(rx.spans(), r.requestId);
      expect(span!.resource).toMatchObject({ 'service.name': 'billing-fn', 'faas.name': 'billing-fn', team: 'billing' });
    } finally {
      await close();
    }
  }, 30_000);
});

describe('OTEL_SDK_DISABLED=true', () => {
  it('the handler works and nothing is exported', async () => {
    const { rx, sim, close } = await startCapability('signals.handler', {
      env: { OTEL_SDK_DISABLED: 'true', OTEL_METRICS_EXPORTER: 'otlp', OTEL_LOGS_EXPORTER: 'otlp' },
    });
    try {
      for (let n = 0; n < 3; n++) {
        const r = await sim.invoke({ n, count: 1 });
        expect(r.status).toBe('success');
        // No SDK and no context manager registered: no active span inside the handler.
        expect(r.response).toEqual({ traceId: null });
      }
      // Give a stray export time to arrive before checking.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(rx.requests()).toEqual([]);
      expect(sim.logs.join('\n')).not.toMatch(/otel-lambda-flush:.*(warn|fail)/i);
    } finally {
      await close();
    }
  }, 30_000);
});
