// Telemetry API platform events → OpenTelemetry metrics and the init span, on the main thread
// (where the providers live).
import {
  metrics,
  ROOT_CONTEXT as ROOT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Counter,
  type Histogram,
  type Meter,
  type MeterProvider,
  type SpanContext,
  type TracerProvider,
} from '@opentelemetry/api';
import type { TelemetryEvent } from './worker/protocol.js';

const SCOPE = 'otel-lambda-flush/platform';
const MIB = 1024 * 1024;
/** Request ids remembered as having had their runtimeDone (bounded). */
const RUNTIME_DONE_MAX = 16;

// Explicit bucket boundaries: the SDK's default ones are made for milliseconds.
const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60, 300, 900];
const BYTES_BUCKETS = [64, 128, 256, 512, 1024, 2048, 4096, 8192].map((m) => m * MIB);
const MIB_BUCKETS = [64, 128, 256, 512, 1024, 2048, 4096, 8192];
const PRODUCED_BUCKETS = [1024, 16 * 1024, 256 * 1024, MIB, 6 * MIB, 20 * MIB];

/**
 * The metrics this module records (names, instruments, UCUM units):
 *
 * | name | instrument | unit | from |
 * |---|---|---|---|
 * | `faas.invocations` | counter | `{invocation}` | each `platform.report` |
 * | `faas.errors` | counter | `{error}` | a report with `errorType`, or status `error`/`failure` (attribute `error.type`) |
 * | `faas.timeouts` | counter | `{timeout}` | a report with status `timeout`, or the deadline guard firing |
 * | `faas.coldstarts` | counter | `{coldstart}` | a report carrying `initDurationMs` |
 * | `faas.invoke_duration` | histogram | `s` | `platform.runtimeDone` `metrics.durationMs` (the report's when there was none) |
 * | `faas.init_duration` | histogram | `s` | `platform.initReport` `metrics.durationMs` (else the report's `initDurationMs`) |
 * | `faas.mem_usage` | histogram | `By` | report `maxMemoryUsedMB` × 1048576 |
 * | `aws.lambda.billed_duration` | histogram | `s` | report `billedDurationMs` |
 * | `aws.lambda.max_memory_used` | histogram | `MiBy` | report `maxMemoryUsedMB` (Lambda's "MB" are MiB) |
 * | `aws.lambda.response_latency` | histogram | `s` | runtimeDone span `responseLatency` |
 * | `aws.lambda.extension_overhead` | histogram | `s` | report span `extensionOverhead` |
 * | `aws.lambda.produced_bytes` | histogram | `By` | runtimeDone `metrics.producedBytes` |
 *
 * A handler that throws is reported by Lambda with `status: success` and an `errorType`:
 * `errorType` decides, not `status`.
 */
export const PLATFORM_METRICS = [
  'faas.invocations',
  'faas.errors',
  'faas.timeouts',
  'faas.coldstarts',
  'faas.invoke_duration',
  'faas.init_duration',
  'faas.mem_usage',
  'aws.lambda.billed_duration',
  'aws.lambda.max_memory_used',
  'aws.lambda.response_latency',
  'aws.lambda.extension_overhead',
  'aws.lambda.produced_bytes',
] as const;

interface Instruments {
  invocations: Counter;
  errors: Counter;
  timeouts: Counter;
  coldstarts: Counter;
  invokeDuration: Histogram;
  initDuration: Histogram;
  memUsage: Histogram;
  billed: Histogram;
  maxMemory: Histogram;
  responseLatency: Histogram;
  extensionOverhead: Histogram;
  producedBytes: Histogram;
}

function create(meter: Meter): Instruments {
  const seconds = (name: string, description: string) =>
    meter.createHistogram(name, { unit: 's', description, advice: { explicitBucketBoundaries: SECONDS_BUCKETS } });
  return {
    invocations: meter.createCounter('faas.invocations', { unit: '{invocation}', description: 'Invocations, from the platform reports' }),
    errors: meter.createCounter('faas.errors', { unit: '{error}', description: 'Invocations that failed' }),
    timeouts: meter.createCounter('faas.timeouts', { unit: '{timeout}', description: 'Invocations that timed out' }),
    coldstarts: meter.createCounter('faas.coldstarts', { unit: '{coldstart}', description: 'Invocations that started a new environment' }),
    invokeDuration: seconds('faas.invoke_duration', "Duration of the function's code"),
    initDuration: seconds('faas.init_duration', 'Duration of the init phase'),
    memUsage: meter.createHistogram('faas.mem_usage', {
      unit: 'By',
      description: 'Maximum memory used per invocation',
      advice: { explicitBucketBoundaries: BYTES_BUCKETS },
    }),
    billed: seconds('aws.lambda.billed_duration', 'Billed duration of the invocation'),
    maxMemory: meter.createHistogram('aws.lambda.max_memory_used', {
      unit: 'MiBy',
      description: 'Maximum memory used per invocation, as Lambda reports it',
      advice: { explicitBucketBoundaries: MIB_BUCKETS },
    }),
    responseLatency: seconds('aws.lambda.response_latency', 'From the event handed over to the first response byte'),
    extensionOverhead: seconds('aws.lambda.extension_overhead', 'Time extensions kept the invocation open after the response'),
    producedBytes: meter.createHistogram('aws.lambda.produced_bytes', {
      unit: 'By',
      description: 'Size of the response',
      advice: { explicitBucketBoundaries: PRODUCED_BUCKETS },
    }),
  };
}

type Rec = Record<string, unknown>;
type SpanRec = { name: string; start?: string; durationMs: number };

function spanDuration(record: Rec, name: string): number | undefined {
  const spans = record.spans as SpanRec[] | undefined;
  return spans?.find((s) => s.name === name)?.durationMs;
}

/** Where the providers come from: explicit ones, else the globals (looked up at each batch). */
export interface PlatformProviders {
  meterProvider?: MeterProvider;
  tracerProvider?: TracerProvider;
}

/**
 * Turns validated platform events into metrics, and `initStart` → `initRuntimeDone` into an
 * `aws.lambda.init` span. The init span is a child of the first invocation's span (so it sits in
 * that trace, starting before its parent: init precedes the invoke) when the lifecycle tells
 * {@link PlatformTelemetry.invocationEnded} the span context; otherwise it is a root span.
 */
export class PlatformTelemetry {
  private instruments: Instruments | undefined;
  private provider: MeterProvider | undefined;
  private readonly runtimeDone: string[] = [];
  private initRecorded = false;
  private initStart: { time: number; record: Rec } | undefined;
  private initDone: { time: number; record: Rec } | undefined;
  private initSpanDone = false;
  private firstInvocation: SpanContext | null | undefined;
  /** Invokes already counted as timed out by the main thread's deadline guard (bounded). */
  private readonly timedOut: string[] = [];

  constructor(private readonly providers: PlatformProviders = {}) {}

  /** Records a batch. Never throws on well-typed (validated) events. */
  record(events: TelemetryEvent[]): void {
    const m = this.meters();
    for (const e of events) {
      const r = e.record as Rec;
      switch (e.type) {
        case 'platform.initStart':
          this.initStart = { time: e.time, record: r };
          break;
        case 'platform.initRuntimeDone':
          this.initDone = { time: e.time, record: r };
          break;
        case 'platform.initReport':
          if (!this.initRecorded) {
            this.initRecorded = true;
            m.initDuration.record((r.metrics as { durationMs: number }).durationMs / 1000);
          }
          break;
        case 'platform.runtimeDone':
          this.onRuntimeDone(m, r);
          break;
        case 'platform.report':
          this.onReport(m, r);
          break;
      }
    }
    this.maybeInitSpan();
  }

  /**
   * The lifecycle's view of an invoke that ended: the first one's span context parents the init
   * span (`null` when unknown).
   */
  invocationEnded(spanContext: SpanContext | undefined): void {
    if (this.firstInvocation !== undefined) return;
    this.firstInvocation = spanContext && trace.isSpanContextValid(spanContext) ? spanContext : null;
    this.maybeInitSpan();
  }

  /**
   * The main thread's deadline guard fired for `requestId`. Lambda resets the environment at a
   * timeout, so this process never receives that invoke's report: count the invocation and the
   * timeout now (the flush that follows exports them). Should the report arrive after all (the
   * handler finished in the last moments), its counters are not added a second time.
   */
  invocationTimedOut(requestId: string): void {
    if (this.timedOut.includes(requestId)) return;
    this.timedOut.push(requestId);
    if (this.timedOut.length > RUNTIME_DONE_MAX) this.timedOut.shift();
    const m = this.meters();
    m.invocations.add(1);
    m.timeouts.add(1);
  }

  private meters(): Instruments {
    const provider = this.providers.meterProvider ?? metrics.getMeterProvider();
    // The metrics API has no proxy provider: re-create the instruments when the global changes
    // (setupTelemetry() registers it after the wrapper may have been built).
    if (!this.instruments || provider !== this.provider) {
      this.provider = provider;
      this.instruments = create(provider.getMeter(SCOPE));
    }
    return this.instruments;
  }

  private onRuntimeDone(m: Instruments, r: Rec): void {
    const id = r.requestId as string;
    const metricsRec = r.metrics as { durationMs: number; producedBytes?: number } | undefined;
    if (metricsRec) {
      m.invokeDuration.record(metricsRec.durationMs / 1000);
      this.runtimeDone.push(id);
      if (this.runtimeDone.length > RUNTIME_DONE_MAX) this.runtimeDone.shift();
      if (metricsRec.producedBytes !== undefined) m.producedBytes.record(metricsRec.producedBytes);
    }
    const latency = spanDuration(r, 'responseLatency');
    if (latency !== undefined) m.responseLatency.record(latency / 1000);
  }

  private onReport(m: Instruments, r: Rec): void {
    const metricsRec = r.metrics as {
      durationMs: number;
      billedDurationMs: number;
      maxMemoryUsedMB: number;
      initDurationMs?: number;
    };
    const status = r.status as string;
    const errorType = r.errorType as string | undefined;
    const id = r.requestId as string;
    if (!this.timedOut.includes(id)) {
      m.invocations.add(1);
      if (status === 'timeout') {
        m.timeouts.add(1);
      } else if (errorType !== undefined || status === 'error' || status === 'failure') {
        const attrs: Attributes = { 'error.type': errorType ?? status };
        m.errors.add(1, attrs);
      }
    }
    if (metricsRec.initDurationMs !== undefined) {
      m.coldstarts.add(1);
      if (!this.initRecorded) {
        this.initRecorded = true;
        m.initDuration.record(metricsRec.initDurationMs / 1000);
      }
    }
    const i = this.runtimeDone.indexOf(id);
    if (i >= 0) this.runtimeDone.splice(i, 1);
    else m.invokeDuration.record(metricsRec.durationMs / 1000);
    m.billed.record(metricsRec.billedDurationMs / 1000);
    m.memUsage.record(metricsRec.maxMemoryUsedMB * MIB);
    m.maxMemory.record(metricsRec.maxMemoryUsedMB);
    const overhead = spanDuration(r, 'extensionOverhead');
    if (overhead !== undefined) m.extensionOverhead.record(overhead / 1000);
  }

  private maybeInitSpan(): void {
    if (this.initSpanDone || !this.initStart || !this.initDone || this.firstInvocation === undefined) return;
    this.initSpanDone = true;
    const provider = this.providers.tracerProvider ?? trace.getTracerProvider();
    const tracer = provider.getTracer(SCOPE);
    const parent = this.firstInvocation ? trace.setSpanContext(ROOT, this.firstInvocation) : ROOT;
    const start = this.initStart.record;
    const done = this.initDone.record;
    const span = tracer.startSpan(
      'aws.lambda.init',
      {
        kind: SpanKind.INTERNAL,
        startTime: this.initStart.time,
        attributes: {
          'faas.coldstart': start.initializationType === 'on-demand',
          'aws.lambda.initialization_type': start.initializationType as string,
          ...(typeof start.runtimeVersion === 'string' ? { 'aws.lambda.runtime_version': start.runtimeVersion } : {}),
          'aws.lambda.init.status': done.status as string,
        },
      },
      parent,
    );
    if (done.status !== 'success' || typeof done.errorType === 'string') {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (done.errorType as string | undefined) ?? (done.status as string) });
      if (typeof done.errorType === 'string') span.setAttribute('error.type', done.errorType);
    }
    span.end(Math.max(this.initDone.time, this.initStart.time));
  }
}
