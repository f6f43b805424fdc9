// Telemetry API platform events → OpenTelemetry metrics and the init span, on the main thread
// (where the providers live).
import {
  metrics,
  ROOT_CONTEXT as ROOT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type MeterProvider,
  type SpanContext,
  type TracerProvider,
} from '@opentelemetry/api';
import { EarlyEvents, ErrorTypes, KnownInvokes } from './platform-guard.js';
import { create, MIB, type Instruments } from './platform-instruments.js';
import type { TelemetryEvent } from './worker/protocol.js';

const SCOPE = 'otel-lambda-flush/platform';

export { PLATFORM_METRICS } from './platform-instruments.js';

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
  private readonly known = new KnownInvokes();
  /** runtimeDone / report events that came before their invoke was reported ended (Managed Instances). */
  private readonly early = new EarlyEvents<{ type: 'platform.runtimeDone' | 'platform.report'; record: Rec }>((n) => (this.droppedEvents += n));
  private readonly errorTypes = new ErrorTypes();
  private droppedEvents = 0;
  private initRecorded = false;
  private initStart: { time: number; record: Rec } | undefined;
  private initDone: { time: number; record: Rec } | undefined;
  private initSpanDone = false;
  private firstInvocation: SpanContext | null | undefined;

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
   * `runtimeDone` / `report` events dropped: for an invoke this process did not handle, or one
   * already counted (forged or replayed deliveries).
   */
  get dropped(): number {
    return this.droppedEvents;
  }

  /**
   * The lifecycle's view of an invoke that ended: its request id makes its platform events
   * count; the first one's span context parents the init span (`null` when unknown).
   */
  invocationEnded(spanContext: SpanContext | undefined, requestId: string): void {
    this.known.add(requestId);
    const early = this.early.claim(requestId);
    if (early.length > 0) {
      const m = this.meters();
      for (const e of early) {
        if (e.type === 'platform.runtimeDone') this.onRuntimeDone(m, e.record);
        else this.onReport(m, e.record);
      }
    }
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
    const seen = this.known.add(requestId);
    if (seen.timedOut) return;
    seen.timedOut = true;
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
    const seen = this.known.get(r.requestId as string);
    if (!seen) return this.early.hold(r.requestId as string, { type: 'platform.runtimeDone', record: r });
    if (seen.runtimeDone) {
      this.droppedEvents++;
      return;
    }
    const metricsRec = r.metrics as { durationMs: number; producedBytes?: number } | undefined;
    if (metricsRec) {
      m.invokeDuration.record(metricsRec.durationMs / 1000);
      seen.runtimeDone = true;
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
    const seen = this.known.get(id);
    if (!seen) return this.early.hold(id, { type: 'platform.report', record: r });
    this.known.reported(id);
    if (!seen.timedOut) {
      m.invocations.add(1);
      if (status === 'timeout') {
        m.timeouts.add(1);
      } else if (errorType !== undefined || status === 'error' || status === 'failure') {
        const attrs: Attributes = { 'error.type': this.errorTypes.bound(errorType ?? status) };
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
    if (!seen.runtimeDone) m.invokeDuration.record(metricsRec.durationMs / 1000);
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
