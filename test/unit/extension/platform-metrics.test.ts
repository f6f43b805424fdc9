import { EARLY_MAX } from '../../../src/extension/platform-guard.js';
import { MeterProvider, MetricReader, DataPointType, type MetricData } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { PLATFORM_METRICS, PlatformTelemetry } from '../../../src/extension/platform-metrics.js';
import { validateBatch } from '../../../src/extension/worker/telemetry-validate.js';

class TestReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

function setup() {
  const reader = new TestReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const spans = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] });
  const platform = new PlatformTelemetry({ meterProvider, tracerProvider });
  const collect = async (): Promise<Map<string, MetricData>> => {
    const { resourceMetrics } = await reader.collect();
    return new Map(resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).map((m) => [m.descriptor.name, m]));
  };
  // Events go through the worker's validation first, as in production.
  const feed = (raw: unknown[]) => platform.record(validateBatch(raw).events);
  const finished = async () => {
    await tracerProvider.forceFlush();
    return spans.getFinishedSpans();
  };
  return { platform, collect, spans, feed, finished };
}

const t = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
const report = (requestId: string, extra: Record<string, unknown> = {}, metrics: Record<string, unknown> = {}) => ({
  time: t(5000),
  type: 'platform.report',
  record: {
    requestId,
    status: 'success',
    metrics: { durationMs: 120, billedDurationMs: 121, memorySizeMB: 128, maxMemoryUsedMB: 64, ...metrics },
    ...extra,
  },
});

function sum(m: MetricData | undefined, attrs?: Record<string, unknown>): number {
  if (!m || m.dataPointType !== DataPointType.SUM) return NaN;
  return m.dataPoints.filter((p) => !attrs || Object.entries(attrs).every(([k, v]) => p.attributes[k] === v)).reduce((a, p) => a + (p.value as number), 0);
}

function hist(m: MetricData | undefined): { count: number; sum: number; min?: number; max?: number } {
  if (!m || m.dataPointType !== DataPointType.HISTOGRAM) return { count: NaN, sum: NaN };
  const v = m.dataPoints[0]!.value;
  return { count: v.count, sum: v.sum ?? NaN, min: v.min, max: v.max };
}

describe('PlatformTelemetry', () => {
  it('maps a scripted sequence (cold start, success, error, timeout) to the FaaS metrics', async () => {
    const { platform, collect, feed } = setup();
    for (const id of ['r1', 'r2', 'r3', 'r4']) platform.invocationEnded(undefined, id);
    feed([
      { time: t(0), type: 'platform.initStart', record: { initializationType: 'on-demand', phase: 'init' } },
      { time: t(80), type: 'platform.initRuntimeDone', record: { initializationType: 'on-demand', phase: 'init', status: 'success' } },
      { time: t(81), type: 'platform.initReport', record: { initializationType: 'on-demand', phase: 'init', status: 'success', metrics: { durationMs: 81 } } },
      { time: t(100), type: 'platform.start', record: { requestId: 'r1' } },
      {
        time: t(150),
        type: 'platform.runtimeDone',
        record: { requestId: 'r1', status: 'success', metrics: { durationMs: 50, producedBytes: 2048 }, spans: [{ name: 'responseLatency', start: t(100), durationMs: 40 }] },
      },
      report('r1', { spans: [{ name: 'extensionOverhead', start: t(150), durationMs: 60 }] }, { initDurationMs: 81, durationMs: 110, billedDurationMs: 192 }),
    ]);
    // Real Lambda: a throwing handler reports status success with an errorType.
    feed([
      { time: t(1000), type: 'platform.runtimeDone', record: { requestId: 'r2', status: 'success', errorType: 'Error', metrics: { durationMs: 20 } } },
      report('r2', { errorType: 'Error' }, { durationMs: 30 }),
      report('r3', { status: 'timeout', errorType: 'Sandbox.Timedout' }, { durationMs: 3000, billedDurationMs: 3000, maxMemoryUsedMB: 100 }),
      report('r4', { status: 'failure', errorType: 'Runtime.ExitError' }, { durationMs: 10 }),
    ]);
    const m = await collect();
    expect(sum(m.get('faas.invocations'))).toBe(4);
    expect(sum(m.get('faas.errors'))).toBe(2);
    expect(sum(m.get('faas.errors'), { 'error.type': 'Error' })).toBe(1);
    expect(sum(m.get('faas.errors'), { 'error.type': 'Runtime.ExitError' })).toBe(1);
    expect(sum(m.get('faas.timeouts'))).toBe(1);
    expect(sum(m.get('faas.coldstarts'))).toBe(1);
    // invoke duration: runtimeDone for r1, r2; the report's for r3, r4 (no runtimeDone seen).
    expect(hist(m.get('faas.invoke_duration'))).toMatchObject({ count: 4 });
    expect(hist(m.get('faas.invoke_duration')).sum).toBeCloseTo((50 + 20 + 3000 + 10) / 1000, 6);
    expect(hist(m.get('faas.init_duration'))).toMatchObject({ count: 1, sum: 0.081 });
    expect(hist(m.get('faas.mem_usage'))).toMatchObject({ count: 4, max: 100 * 1048576, min: 64 * 1048576 });
    expect(hist(m.get('aws.lambda.max_memory_used'))).toMatchObject({ count: 4, max: 100 });
    expect(hist(m.get('aws.lambda.billed_duration'))).toMatchObject({ count: 4, max: 3 });
    expect(hist(m.get('aws.lambda.response_latency'))).toMatchObject({ count: 1, sum: 0.04 });
    expect(hist(m.get('aws.lambda.extension_overhead'))).toMatchObject({ count: 1, sum: 0.06 });
    expect(hist(m.get('aws.lambda.produced_bytes'))).toMatchObject({ count: 1, sum: 2048 });
    expect(m.get('faas.invoke_duration')?.descriptor.unit).toBe('s');
    expect(m.get('faas.mem_usage')?.descriptor.unit).toBe('By');
    for (const name of PLATFORM_METRICS) expect(m.has(name), name).toBe(true);
  });

  it('creates the init span as a child of the first invocation, with init timings', async () => {
    const { platform, feed, finished } = setup();
    feed([
      { time: t(0), type: 'platform.initStart', record: { initializationType: 'on-demand', phase: 'init', runtimeVersion: 'nodejs:24' } },
      { time: t(80), type: 'platform.initRuntimeDone', record: { phase: 'init', status: 'error', errorType: 'Runtime.ImportModuleError' } },
    ]);
    expect(await finished()).toHaveLength(0); // waits for the first invocation
    const parent = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 };
    platform.invocationEnded(parent, 'r1');
    platform.invocationEnded({ traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: 1 }, 'r2');
    const [span, ...rest] = await finished();
    expect(rest).toHaveLength(0);
    expect(span!.name).toBe('aws.lambda.init');
    expect(span!.spanContext().traceId).toBe(parent.traceId);
    expect(span!.parentSpanContext?.spanId).toBe(parent.spanId);
    expect(span!.attributes).toMatchObject({ 'faas.coldstart': true, 'aws.lambda.initialization_type': 'on-demand', 'error.type': 'Runtime.ImportModuleError' });
    expect(span!.status.code).toBe(2);
    const durMs = span!.duration[0] * 1000 + span!.duration[1] / 1e6;
    expect(durMs).toBeCloseTo(80, 3);
  });

  it('makes the init span a root when the first invocation span is unknown', async () => {
    const { platform, feed, finished } = setup();
    platform.invocationEnded(undefined, 'r1');
    feed([
      { time: t(0), type: 'platform.initStart', record: { initializationType: 'provisioned-concurrency' } },
      { time: t(30), type: 'platform.initRuntimeDone', record: { status: 'success' } },
    ]);
    const [span] = await finished();
    expect(span!.parentSpanContext).toBeUndefined();
    expect(span!.attributes['faas.coldstart']).toBe(false);
  });

  it('counts only invokes this process handled, each once; forged, replayed and unknown ids are dropped', async () => {
    const { platform, collect, feed } = setup();
    feed([report('before-any-invoke')]);
    platform.invocationEnded(undefined, 'real-1');
    // A forged flood: 1,000 reports with made-up ids, and the real id replayed.
    feed([report('real-1'), ...Array.from({ length: 1000 }, (_, i) => report(`forged-${i}`, { errorType: `E${i}` })), report('real-1')]);
    // Lambda's report of the previous invoke arrives during the next one: it still counts.
    platform.invocationEnded(undefined, 'real-2');
    platform.invocationEnded(undefined, 'real-3');
    feed([
      { time: t(6000), type: 'platform.runtimeDone', record: { requestId: 'real-2', status: 'success', metrics: { durationMs: 7 } } },
      { time: t(6000), type: 'platform.runtimeDone', record: { requestId: 'real-2', status: 'success', metrics: { durationMs: 7 } } },
      report('real-2', {}, { durationMs: 9 }),
    ]);
    platform.invocationEnded(undefined, 'real-4');
    feed([report('real-3')]);
    const m = await collect();
    expect(sum(m.get('faas.invocations'))).toBe(3);
    expect(Number.isNaN(sum(m.get('faas.errors'))) || sum(m.get('faas.errors')) === 0).toBe(true);
    expect(hist(m.get('aws.lambda.billed_duration')).count).toBe(3);
    // real-2's duration from its (first) runtimeDone, real-1's and real-3's from their reports.
    expect(hist(m.get('faas.invoke_duration'))).toMatchObject({ count: 3 });
    // Unknown ids wait (bounded) in case their invoke is reported later; the oldest fall out, counted.
    expect(platform.dropped).toBeGreaterThanOrEqual(1 + 1000 + 1 + 1 - EARLY_MAX);
    // A forged id never counts, however long it waits.
    feed(Array.from({ length: EARLY_MAX + 5 }, (_, i) => report(`more-forged-${i}`)));
    expect(sum((await collect()).get('faas.invocations'))).toBe(3);
  });

  it('a report that arrives before its invoke is reported ended (Managed Instances: the worker thread tells the main thread) still counts, once', async () => {
    const { platform, collect, feed } = setup();
    feed([
      { time: t(6000), type: 'platform.runtimeDone', record: { requestId: 'mi-1', status: 'success', metrics: { durationMs: 7 } } },
      report('mi-1'),
    ]);
    expect(sum((await collect()).get('faas.invocations')) || 0).toBe(0);
    platform.invocationEnded(undefined, 'mi-1');
    platform.invocationEnded(undefined, 'mi-1');
    const m = await collect();
    expect(sum(m.get('faas.invocations'))).toBe(1);
    expect(hist(m.get('faas.invoke_duration'))).toMatchObject({ count: 1 });
  });

  it('bounds error.type: 20 distinct values of at most 128 characters, the rest _OTHER', async () => {
    const { platform, collect, feed } = setup();
    const ids = Array.from({ length: 40 }, (_, i) => `r${i}`);
    for (const id of ids) platform.invocationEnded(undefined, id);
    feed(ids.map((id, i) => report(id, { errorType: i === 0 ? 'x'.repeat(200) : `Error${i % 30}` })));
    const m = await collect();
    const errors = m.get('faas.errors');
    const values = new Set(errors?.dataPoints.map((p) => p.attributes['error.type']));
    expect(values.size).toBeLessThanOrEqual(21);
    expect(values.has('_OTHER')).toBe(true);
    expect([...values].every((v) => typeof v === 'string' && v.length <= 128)).toBe(true);
    expect(sum(errors)).toBe(40);
  });

  it('drops well-typed values Lambda cannot produce, and counts them', () => {
    const base = { time: t(0), type: 'platform.report' };
    const rec = (metrics: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      ...base,
      record: { requestId: 'r', status: 'success', metrics: { durationMs: 1, billedDurationMs: 1, memorySizeMB: 128, maxMemoryUsedMB: 60, ...metrics }, ...extra },
    });
    const out = [
      rec({ billedDurationMs: 1e9 }),
      rec({ durationMs: 16 * 60 * 1000 + 1 }),
      rec({ durationMs: -1 }),
      rec({ memorySizeMB: 64 }),
      rec({ memorySizeMB: 20_000 }),
      rec({ maxMemoryUsedMB: 1e6 }),
      rec({ initDurationMs: Infinity }),
      rec({}, { requestId: 'i'.repeat(1000) }),
      { time: t(0), type: 'platform.runtimeDone', record: { requestId: 'r', status: 'success', metrics: { durationMs: 1, producedBytes: 1e12 } } },
      { time: t(0), type: 'platform.initReport', record: { metrics: { durationMs: 1e12 } } },
    ];
    const result = validateBatch([
      ...out,
      rec({ durationMs: 15 * 60 * 1000, billedDurationMs: 900_000, memorySizeMB: 10_240, maxMemoryUsedMB: 10_240 }),
      rec({}, { errorType: 'e'.repeat(100_000) }),
    ]);
    expect(result.events).toHaveLength(2);
    // A long string is cut, not a reason to lose the invoke's count.
    expect((result.events[1]!.record as { errorType: string }).errorType).toHaveLength(256);
    expect(result).toMatchObject({ invalid: out.length, outOfRange: out.length });
  });
});
