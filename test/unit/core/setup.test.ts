// setupTelemetry() against the real OTLP/HTTP exporters and the kit's receiver.
import { metrics, trace } from '@opentelemetry/api';
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
  const flusher = new ProviderFlusher(() => resolveTargets({}));

  beforeAll(async () => {
    rx = await OtlpReceiver.start();
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'setup-fn';
    process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE = '256';
    process.env.OTEL_RESOURCE_ATTRIBUTES = 'deployment.environment.name=test,team=a%2Cb';
    telemetry = await setupTelemetry({ endpoint: rx.url, exportTimeoutMs: 300 });
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

  it('detects failed exports (503) although forceFlush resolves', async () => {
    rx.setBehavior({ failureRate: 1 });
    trace.getTracer('t').startSpan('s2').end();
    const out = await flusher.flush(2000, 'invoke');
    rx.setBehavior({ failureRate: 0 });
    expect(out.signals.traces).toBe('failed');
    expect(out.status).toBe('failed');
  });

  it('a black-hole collector makes the flush time out at the budget, not at 10 s', async () => {
    rx.setBehavior({ blackHole: true });
    trace.getTracer('t').startSpan('s3').end();
    const outcomes: FlushOutcome[] = [];
    const f = new ProviderFlusher(() => resolveTargets({}), (o) => outcomes.push(o));
    const t0 = performance.now();
    const out = await f.flush(200, 'invoke');
    expect(performance.now() - t0).toBeLessThan(1000);
    rx.setBehavior({ blackHole: false });
    expect(out.status).toBe('timeout');
    expect(out.signals.traces).toBe('timeout');
    expect(outcomes).toEqual([out]);
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
