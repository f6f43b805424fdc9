// The receiver decodes exactly what the real OpenTelemetry exporters send: JSON (the http
// exporters' default) and protobuf (the otlp-transformer serializers the proto exporters use),
// each with and without gzip. Expected values are derived from the SDK's own records.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, trace, type HrTime } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ExportResultCode, TraceState, type ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import {
  AggregationTemporality,
  AggregationType,
  DataPointType,
  InstrumentType,
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import { convertLegacyHttpOptions, createOtlpHttpExportDelegate } from '@opentelemetry/otlp-exporter-base/node-http';
import {
  LogsExporterMetricsHelper,
  MetricsExporterMetricsHelper,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
  TraceExporterMetricsHelper,
  type IExporterMetricsHelper,
  type ISerializer,
} from '@opentelemetry/otlp-transformer';
import { OtlpReceiver, type ReceivedLogRecord, type ReceivedMetricPoint, type ReceivedSpan } from '../../src/testing/index.js';

// ---- telemetry produced by the real SDK -------------------------------------------------

const resource = resourceFromAttributes({ 'service.name': 'collector-test', 'service.version': '1.0.0', 'host.cores': 2 });

function recordSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const tracer = provider.getTracer('decode-test', '1.2.3');
  const plain = provider.getTracer('no-version');
  const other = plain.startSpan('linked');
  other.end();
  const remoteParent = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: 1,
    traceState: new TraceState('vendor=abc,other=1'),
    isRemote: true,
  });
  const server = tracer.startSpan(
    'GET /items',
    {
      kind: SpanKind.SERVER,
      attributes: { 'http.method': 'GET', 'http.status_code': 500, ratio: 0.25, ok: false, tags: ['a', 'b'], nums: [1, 2.5], flags: [true, false] },
      links: [{ context: other.spanContext(), attributes: { 'link.reason': 'batch' } }],
    },
    remoteParent,
  );
  server.addEvent('cache.miss', { key: 'items:1', attempt: 2 });
  server.recordException(new Error('boom'));
  server.setStatus({ code: SpanStatusCode.ERROR, message: 'it failed' });
  context.with(trace.setSpan(ROOT_CONTEXT, server), () => {
    for (const kind of [SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER, SpanKind.INTERNAL]) {
      const child = tracer.startSpan(`child-${kind}`, { kind }, trace.setSpan(ROOT_CONTEXT, server));
      child.setStatus({ code: SpanStatusCode.OK });
      child.end();
    }
  });
  server.end();
  return exporter.getFinishedSpans();
}

class CollectingReader extends MetricReader {
  constructor() {
    super({
      aggregationTemporalitySelector: (type) => (type === InstrumentType.COUNTER ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE),
    });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

async function recordMetrics(): Promise<ResourceMetrics> {
  const reader = new CollectingReader();
  const provider = new MeterProvider({
    resource,
    readers: [reader],
    views: [{ instrumentName: 'payload.size', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  const meter = provider.getMeter('decode-test', '0.1.0');
  const counter = meter.createCounter('invocations', { description: 'Invocations', unit: '{invocation}' });
  counter.add(3, { cold: true });
  counter.add(1, { cold: false });
  meter.createUpDownCounter('inflight', { valueType: 1 /* DOUBLE */ }).add(-1.5);
  meter.createGauge('temperature', { unit: 'Cel' }).record(21.5, { room: 'a' });
  const histogram = meter.createHistogram('duration', { unit: 'ms' });
  for (const v of [1, 7, 40, 300, 12000]) histogram.record(v, { route: '/x' });
  const exp = meter.createHistogram('payload.size', { unit: 'By' });
  for (const v of [0, 3, 100, 1024, 70000]) exp.record(v);
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  return resourceMetrics;
}

function recordLogs(spanContextOf: ReadableSpan): ReadableLogRecord[] {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger('decode-test', '2.0.0');
  logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: 'hello world', attributes: { 'user.id': 42 } });
  logger.emit({
    severityNumber: SeverityNumber.ERROR2,
    body: { message: 'structured', nested: { list: [1, 'two', true] } },
    eventName: 'app.failure',
    context: trace.setSpanContext(ROOT_CONTEXT, spanContextOf.spanContext()),
  });
  logger.emit({ body: new Uint8Array([0, 1, 254, 255]), timestamp: [1_700_000_000, 123_456_789] });
  return exporter.getFinishedLogRecords();
}

// ---- expected receiver records, from the SDK records ------------------------------------

const nanos = (t: HrTime): string => (BigInt(t[0]) * 1_000_000_000n + BigInt(t[1])).toString();
const KINDS = ['internal', 'server', 'client', 'producer', 'consumer'] as const;
const STATUS = ['unset', 'ok', 'error'] as const;
const scopeOf = (s: { name: string; version?: string }) => ({ name: s.name, ...(s.version ? { version: s.version } : {}) });

function expectedSpan(s: ReadableSpan): ReceivedSpan {
  const sc = s.spanContext();
  return {
    traceId: sc.traceId,
    spanId: sc.spanId,
    parentSpanId: s.parentSpanContext?.spanId,
    traceState: sc.traceState?.serialize() || undefined,
    name: s.name,
    kind: KINDS[s.kind],
    startTimeUnixNano: nanos(s.startTime),
    endTimeUnixNano: nanos(s.endTime),
    durationMs: Number(BigInt(nanos(s.endTime)) - BigInt(nanos(s.startTime))) / 1e6,
    attributes: { ...s.attributes },
    status: { code: STATUS[s.status.code], message: s.status.message || undefined },
    events: s.events.map((e) => ({ name: e.name, timeUnixNano: nanos(e.time), attributes: { ...e.attributes } })),
    links: s.links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId, attributes: { ...l.attributes } })),
    resource: { ...s.resource.attributes },
    scope: scopeOf(s.instrumentationScope),
  } as ReceivedSpan;
}

function expectedPoints(rm: ResourceMetrics): ReceivedMetricPoint[] {
  const out: ReceivedMetricPoint[] = [];
  for (const sm of rm.scopeMetrics) {
    for (const m of sm.metrics) {
      for (const dp of m.dataPoints) {
        const base = {
          name: m.descriptor.name,
          description: m.descriptor.description || undefined,
          unit: m.descriptor.unit || undefined,
          attributes: { ...dp.attributes },
          startTimeUnixNano: nanos(dp.startTime),
          timeUnixNano: nanos(dp.endTime),
          resource: { ...rm.resource.attributes },
          scope: scopeOf(sm.scope),
        };
        const temporality = m.dataPointType === DataPointType.GAUGE ? undefined : m.aggregationTemporality === AggregationTemporality.DELTA ? 'delta' : 'cumulative';
        const v = dp.value as any;
        if (m.dataPointType === DataPointType.SUM) out.push({ ...base, type: 'sum', temporality, monotonic: m.isMonotonic, value: v } as ReceivedMetricPoint);
        else if (m.dataPointType === DataPointType.GAUGE) out.push({ ...base, type: 'gauge', value: v } as ReceivedMetricPoint);
        else if (m.dataPointType === DataPointType.HISTOGRAM) {
          out.push({ ...base, type: 'histogram', temporality, count: v.count, sum: v.sum, min: v.min, max: v.max, bucketCounts: v.buckets.counts, explicitBounds: v.buckets.boundaries } as ReceivedMetricPoint);
        } else {
          out.push({
            ...base,
            type: 'exponentialHistogram',
            temporality,
            count: v.count,
            sum: v.sum,
            min: v.min,
            max: v.max,
            scale: v.scale,
            zeroCount: v.zeroCount,
            positive: { offset: v.positive.offset, bucketCounts: v.positive.bucketCounts },
            negative: { offset: v.negative.offset, bucketCounts: v.negative.bucketCounts },
          } as ReceivedMetricPoint);
        }
      }
    }
  }
  return out;
}

function expectedLog(r: ReadableLogRecord): ReceivedLogRecord {
  return {
    timeUnixNano: nanos(r.hrTime),
    observedTimeUnixNano: nanos(r.hrTimeObserved),
    severityNumber: r.severityNumber,
    severityText: r.severityText,
    eventName: r.eventName,
    body: r.body,
    attributes: { ...r.attributes },
    traceId: r.spanContext?.traceId,
    spanId: r.spanContext?.spanId,
    resource: { ...r.resource.attributes },
    scope: scopeOf(r.instrumentationScope),
  } as ReceivedLogRecord;
}

const bySpanId = (a: { spanId: string }, b: { spanId: string }) => a.spanId.localeCompare(b.spanId);
const pointKey = (p: ReceivedMetricPoint) => `${p.name}|${JSON.stringify(p.attributes)}`;
const byPoint = (a: ReceivedMetricPoint, b: ReceivedMetricPoint) => pointKey(a).localeCompare(pointKey(b));
const byTime = (a: ReceivedLogRecord, b: ReceivedLogRecord) => (a.observedTimeUnixNano ?? '').localeCompare(b.observedTimeUnixNano ?? '') || String(a.body).localeCompare(String(b.body));

// ---- transports: how the bytes get to the receiver ---------------------------------------

interface Exporter<T> {
  export(items: T, done: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
}
type Signal = 'traces' | 'metrics' | 'logs';
const SIGNAL_ID: Record<Signal, string> = { traces: 'TRACES', metrics: 'METRICS', logs: 'LOGS' };

/** A protobuf OTLP/HTTP exporter assembled the way the `-otlp-proto` packages assemble theirs. */
function protobufExporter<T>(url: string, signal: Signal, serializer: ISerializer<T, unknown>, helper: IExporterMetricsHelper<T>, gzip: boolean): Exporter<T> {
  const options = convertLegacyHttpOptions({ url: `${url}/v1/${signal}`, compression: gzip ? 'gzip' : 'none' } as never, SIGNAL_ID[signal], `v1/${signal}`, {
    'Content-Type': 'application/x-protobuf',
  });
  return new OTLPExporterBase<T>(createOtlpHttpExportDelegate(options, serializer, 'test_protobuf_exporter', helper, undefined));
}

async function exportWith<T>(exporter: Exporter<T>, items: T): Promise<void> {
  const result = await new Promise<ExportResult>((resolve) => exporter.export(items, resolve));
  await exporter.shutdown();
  expect(result.error).toBeUndefined();
  expect(result.code).toBe(ExportResultCode.SUCCESS);
}

async function postBytes(url: string, signal: Signal, bytes: Uint8Array, gzip: boolean): Promise<void> {
  const res = await fetch(`${url}/v1/${signal}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', ...(gzip ? { 'content-encoding': 'gzip' } : {}) },
    body: gzip ? gzipSync(bytes) : bytes,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/x-protobuf');
  expect((await res.arrayBuffer()).byteLength).toBe(0); // empty Export*ServiceResponse
}

type Transport = 'json' | 'json+gzip' | 'protobuf exporter' | 'protobuf exporter+gzip' | 'protobuf bytes' | 'protobuf bytes+gzip';
const TRANSPORTS: Transport[] = ['json', 'json+gzip', 'protobuf exporter', 'protobuf exporter+gzip', 'protobuf bytes', 'protobuf bytes+gzip'];

function wire(transport: Transport): { contentType: string; contentEncoding: string } {
  return {
    contentType: transport.startsWith('json') ? 'application/json' : 'application/x-protobuf',
    contentEncoding: transport.endsWith('gzip') ? 'gzip' : 'identity',
  };
}

async function send(rx: OtlpReceiver, transport: Transport, signal: 'traces', items: ReadableSpan[]): Promise<void>;
async function send(rx: OtlpReceiver, transport: Transport, signal: 'metrics', items: ResourceMetrics): Promise<void>;
async function send(rx: OtlpReceiver, transport: Transport, signal: 'logs', items: ReadableLogRecord[]): Promise<void>;
async function send(rx: OtlpReceiver, transport: Transport, signal: Signal, items: any): Promise<void> {
  const gzip = transport.endsWith('gzip');
  const serializer = { traces: ProtobufTraceSerializer, metrics: ProtobufMetricsSerializer, logs: ProtobufLogsSerializer }[signal] as ISerializer<any, unknown>;
  if (transport.startsWith('json')) {
    const config = { url: `${rx.url}/v1/${signal}`, compression: (gzip ? 'gzip' : 'none') as never };
    const exporter = signal === 'traces' ? new OTLPTraceExporter(config) : signal === 'metrics' ? new OTLPMetricExporter(config) : new OTLPLogExporter(config);
    return exportWith(exporter as Exporter<any>, items);
  }
  if (transport.startsWith('protobuf exporter')) {
    const helper = { traces: TraceExporterMetricsHelper, metrics: MetricsExporterMetricsHelper, logs: LogsExporterMetricsHelper }[signal] as IExporterMetricsHelper<any>;
    return exportWith(protobufExporter(rx.url, signal, serializer, helper, gzip), items);
  }
  return postBytes(rx.url, signal, serializer.serializeRequest(items)!, gzip);
}

// ---- tests ------------------------------------------------------------------------------

describe('OtlpReceiver decodes real exporter output', () => {
  let rx: OtlpReceiver;
  let spans: ReadableSpan[];
  let metrics: ResourceMetrics;
  let logs: ReadableLogRecord[];

  beforeAll(async () => {
    rx = await OtlpReceiver.start();
    spans = recordSpans();
    metrics = await recordMetrics();
    logs = recordLogs(spans[0]!);
  });
  afterAll(() => rx.close());
  beforeEach(() => rx.clear());

  it('produces the telemetry the matrix relies on', () => {
    expect(spans).toHaveLength(6);
    expect(expectedPoints(metrics).map((p) => p.type).sort()).toEqual(['exponentialHistogram', 'gauge', 'histogram', 'sum', 'sum', 'sum']);
    expect(logs).toHaveLength(3);
  });

  describe.each(TRANSPORTS)('over %s', (transport) => {
    it('spans equal what the SDK recorded', async () => {
      await send(rx, transport, 'traces', spans);
      expect(rx.spans().sort(bySpanId)).toEqual(spans.map(expectedSpan).sort(bySpanId));
      expect(rx.requests()).toMatchObject([{ path: '/v1/traces', method: 'POST', status: 200, outcome: 'accepted', ...wire(transport) }]);
      expect(rx.requests()[0]!.bytes).toBeGreaterThan(100);
    });

    it('metric points equal what the SDK collected', async () => {
      await send(rx, transport, 'metrics', metrics);
      expect(rx.metrics().sort(byPoint)).toEqual(expectedPoints(metrics).sort(byPoint));
      expect(rx.requests()).toMatchObject([{ path: '/v1/metrics', status: 200, outcome: 'accepted', ...wire(transport) }]);
    });

    it('log records equal what the SDK emitted', async () => {
      await send(rx, transport, 'logs', logs);
      expect(rx.logs().sort(byTime)).toEqual(logs.map(expectedLog).sort(byTime));
      expect(rx.requests()).toMatchObject([{ path: '/v1/logs', status: 200, outcome: 'accepted', ...wire(transport) }]);
    });
  });

  it('keeps the values a test would look for', async () => {
    await send(rx, 'protobuf exporter+gzip', 'traces', spans);
    await send(rx, 'json', 'metrics', metrics);
    await send(rx, 'json+gzip', 'logs', logs);
    const [server] = rx.spans({ name: 'GET /items' });
    expect(server).toMatchObject({
      kind: 'server',
      parentSpanId: 'b7ad6b7169203331',
      traceId: '0af7651916cd43dd8448eb211c80319c',
      traceState: 'vendor=abc,other=1',
      status: { code: 'error', message: 'it failed' },
      attributes: { 'http.status_code': 500, ratio: 0.25, ok: false, tags: ['a', 'b'], nums: [1, 2.5], flags: [true, false] },
      resource: { 'service.name': 'collector-test', 'host.cores': 2 },
      scope: { name: 'decode-test', version: '1.2.3' },
    });
    expect(server!.events.map((e) => e.name)).toEqual(['cache.miss', 'exception']);
    expect(server!.links[0]).toMatchObject({ spanId: rx.spans({ name: 'linked' })[0]!.spanId, attributes: { 'link.reason': 'batch' } });
    expect(rx.spans({ name: /^child-/ }).every((s) => s.parentSpanId === server!.spanId && s.status.code === 'ok')).toBe(true);
    expect(rx.spans({ name: 'linked' })[0]!.scope).toEqual({ name: 'no-version' });
    expect(rx.metrics('invocations').map((p) => [p.attributes.cold, p.value, p.temporality, p.monotonic])).toEqual(
      expect.arrayContaining([
        [true, 3, 'delta', true],
        [false, 1, 'delta', true],
      ]),
    );
    expect(rx.metrics('inflight')[0]).toMatchObject({ type: 'sum', value: -1.5, monotonic: false, temporality: 'cumulative' });
    expect(rx.metrics(/^temp/)[0]).toMatchObject({ type: 'gauge', value: 21.5, unit: 'Cel' });
    expect(rx.metrics('duration')[0]).toMatchObject({ count: 5, sum: 12348, min: 1, max: 12000 });
    expect(rx.metrics('payload.size')[0]).toMatchObject({ type: 'exponentialHistogram', count: 5, zeroCount: 1 });
    // Found by content: records emitted in the same millisecond share their observed time.
    const received = rx.logs();
    const info = received.find((l) => l.severityText === 'INFO');
    const failure = received.find((l) => l.eventName === 'app.failure');
    const bytes = received.find((l) => l.body instanceof Uint8Array);
    expect(received).toHaveLength(3);
    expect(info).toMatchObject({ body: 'hello world', severityNumber: 9, severityText: 'INFO', attributes: { 'user.id': 42 } });
    expect(failure).toMatchObject({ body: { message: 'structured', nested: { list: [1, 'two', true] } }, eventName: 'app.failure', severityNumber: 18 });
    expect(failure!.traceId).toBe(spans[0]!.spanContext().traceId);
    expect(bytes!.body).toEqual(new Uint8Array([0, 1, 254, 255]));
    expect(bytes!.timeUnixNano).toBe('1700000000123456789');
  });
});
