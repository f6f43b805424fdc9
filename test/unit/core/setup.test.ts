// setupTelemetry() against the real OTLP/HTTP exporters and the kit's receiver.
import { metrics, trace, type Counter } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderFlusher } from '../../../src/flush/flusher.js';
import { resolveTargets } from '../../../src/flush/targets.js';
import type { FlushOutcome } from '../../../src/flush/types.js';
import { setupTelemetry, type Telemetry } from '../../../src/providers/setup.js';
import { lambdaResourceAttributes, resolveResourceAttributes } from '../../../src/providers/resource.js';
import { OtlpReceiver } from '../../../src/testing/index.js';

describe('setupTelemetry', () => {
  let rx: OtlpReceiver;
  let telemetry: Telemetry;
  let moduleScopeCounter: Counter;
  let registeredSync = '';
  const instrumentation = {
    got: [] as string[],
    setTracerProvider() { this.got.push('tracer'); },
    setMeterProvider() { this.got.push('meter'); },
    setLoggerProvider() { this.got.push('logger'); },
    getConfig: () => ({ enabled: false }),
    enable() { this.got.push('enable'); },
  };
  const flusher = new ProviderFlusher(() => resolveTargets({}));

  beforeAll(async () => {
    rx = await OtlpReceiver.start();
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'setup-fn';
    process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE = '256';
    process.env.OTEL_RESOURCE_ATTRIBUTES = 'deployment.environment.name=test,team=a%2Cb';
    process.env.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT = '12';
    process.env.OTEL_SPAN_EVENT_COUNT_LIMIT = '2';
    const pending = setupTelemetry({ endpoint: rx.url, exportTimeoutMs: 300, instrumentations: [instrumentation] });
    // Registered before setupTelemetry() returned: a meter taken now (module scope) is real.
    moduleScopeCounter = metrics.getMeter('module-scope').createCounter('module_scope_hits');
    registeredSync = metrics.getMeterProvider().constructor.name;
    telemetry = await pending;
    delete process.env.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT;
    delete process.env.OTEL_SPAN_EVENT_COUNT_LIMIT;
  });
  afterAll(async () => {
    await telemetry?.shutdown();
    await rx.close();
  });

  it('registers providers globally; a flush exports spans and delta metrics with the Lambda resource', async () => {
    expect(setupTelemetry()).toBe(setupTelemetry()); // one setup per process
    trace.getTracer('t').startSpan('s1').end();
    metrics.getMeter('m').createCounter('hits').add(3);
    const out = await flusher.flush(2000, 'invoke');
    expect(out.status).toBe('ok');
    expect(out.signals).toEqual({ traces: 'ok', metrics: 'ok', logs: 'ok' });
    const [span] = rx.spans({ name: 's1' });
    expect(span?.resource).toMatchObject({
      'service.name': 'setup-fn', 'faas.name': 'setup-fn', 'faas.max_memory': 256 * 1048576,
      'cloud.provider': 'aws', 'deployment.environment.name': 'test', team: 'a,b',
    });
    const [point] = rx.metrics('hits');
    expect(point?.temporality).toBe('delta');
    expect(point?.value).toBe(3);
  });

  it('registers its providers synchronously, with the span limits from env, and enables instrumentations', async () => {
    expect(registeredSync).toBe('MeterProvider');
    expect(instrumentation.got).toEqual(['tracer', 'meter', 'logger', 'enable']);
    moduleScopeCounter.add(2);
    const span = trace.getTracer('t').startSpan('limits', { attributes: { long: 'x'.repeat(100) } });
    for (let i = 0; i < 5; i++) span.addEvent(`e${i}`);
    span.end();
    expect((await flusher.flush(2000, 'invoke')).status).toBe('ok');
    expect(rx.metrics('module_scope_hits')[0]?.value).toBe(2);
    const [limited] = rx.spans({ name: 'limits' });
    expect(limited?.attributes.long).toBe('x'.repeat(12));
    expect(limited?.events).toHaveLength(2);
  });

  it('a collector answering 503 keeps the batch (failed, counted); the next flush delivers it first', async () => {
    rx.setBehavior({ failureRate: 1 });
    trace.getTracer('t').startSpan('s2').end();
    const out = await flusher.flush(300, 'invoke');
    rx.setBehavior({ failureRate: 0 });
    expect(out.signals.traces).toBe('failed');
    expect(out.status).toBe('failed');
    expect(out.items?.traces).toMatchObject({ exported: 0, kept: 1, dropped: 0 });
    await new Promise((r) => setTimeout(r, 1100)); // the breaker's first cooldown
    const next = await flusher.flush(2000, 'invoke');
    expect(next.status).toBe('ok');
    expect(next.items?.traces).toMatchObject({ exported: 1, retried: 1, kept: 0 });
    expect(rx.spans({ name: 's2' })).toHaveLength(1);
    // Once something failed, the counters are metrics too (created then, exported from the next flush).
    const retried = rx.metrics('otel_lambda.export.retried').filter((p) => p.attributes.signal === 'traces');
    expect(retried.reduce((n, p) => n + (p.value as number), 0)).toBeGreaterThanOrEqual(1);
    expect(rx.metrics('otel_lambda.export.kept').length).toBeGreaterThan(0);
  });

  it('a black-hole collector: the flush ends within its budget and keeps the batch, delivered once it answers', async () => {
    rx.setBehavior({ blackHole: true });
    trace.getTracer('t').startSpan('s3').end();
    const outcomes: FlushOutcome[] = [];
    const f = new ProviderFlusher(() => resolveTargets({}), (o) => outcomes.push(o));
    const t0 = performance.now();
    const out = await f.flush(200, 'invoke');
    expect(performance.now() - t0).toBeLessThan(1000);
    rx.setBehavior({ blackHole: false });
    expect(out.status).not.toBe('ok');
    expect(out.items?.traces.kept).toBe(1);
    expect(outcomes).toEqual([out]);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await f.flush(2000, 'invoke')).status).toBe('ok');
    expect(rx.spans({ name: 's3' })).toHaveLength(1);
  });

  it('a span queue overflow (3,000 spans against 2,048) is counted as dropped and never reported ok', async () => {
    const tracer = trace.getTracer('t');
    for (let i = 0; i < 3000; i++) tracer.startSpan('burst').end();
    const out = await flusher.flush(3000, 'invoke');
    expect(out.status).toBe('failed');
    expect(out.items!.traces.dropped + rx.spans({ name: 'burst' }).length).toBe(3000);
    expect(out.items!.traces.dropped).toBeGreaterThan(0);
  });
});

describe('Lambda resource attributes', () => {
  it('follow the FaaS conventions; OTEL_SERVICE_NAME and code options take precedence', () => {
    const env = {
      AWS_REGION: 'eu-central-1', AWS_LAMBDA_FUNCTION_NAME: 'fn', AWS_LAMBDA_FUNCTION_VERSION: '3',
      AWS_LAMBDA_LOG_STREAM_NAME: '2026/01/01/[3]abc', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
    };
    expect(lambdaResourceAttributes(env)).toEqual({
      'cloud.provider': 'aws', 'cloud.platform': 'aws_lambda', 'cloud.region': 'eu-central-1', 'faas.name': 'fn',
      'service.name': 'fn', 'faas.version': '3', 'faas.instance': '2026/01/01/[3]abc', 'faas.max_memory': 1073741824,
    });
    expect(resolveResourceAttributes({ ...env, OTEL_RESOURCE_ATTRIBUTES: 'service.name=x' }, undefined, undefined)['service.name']).toBe('x');
    expect(resolveResourceAttributes({ ...env, OTEL_RESOURCE_ATTRIBUTES: 'service.name=x', OTEL_SERVICE_NAME: 'y' }, undefined, undefined)['service.name']).toBe('y');
    expect(resolveResourceAttributes({ ...env, OTEL_SERVICE_NAME: 'y' }, undefined, 'z')['service.name']).toBe('z');
  });
});
