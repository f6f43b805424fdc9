// Real SDK pieces for unit tests: a tracer provider whose exports take time, and the
// AsyncLocalStorage context manager registered globally (as setupTelemetry does).
//
// The provider records COMPLETION, not calls: spans only count once their export has
// finished, and `flushes` counts forceFlush calls that have resolved. Spans wait in a batch
// processor that never exports on its own, and every export takes EXPORT_DELAY_MS on a timer,
// so a wrapper that starts the flush but does not await it resolves before anything counts.
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { BatchSpanProcessor, TracerProvider, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';
import { processState } from '../../../src/state.js';

/** How long every export takes: longer than any chain of microtasks, short for the tests. */
export const EXPORT_DELAY_MS = 25;

let registered = false;

export function registerContextManager(): void {
  if (registered) return;
  registered = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}

/** An exporter that takes `delayMs` per export and keeps the spans whose export finished. */
export class SlowExporter implements SpanExporter {
  readonly finished: ReadableSpan[] = [];
  /** performance.now() at the end of each export. */
  readonly exportedAt: number[] = [];
  constructor(private readonly delayMs = EXPORT_DELAY_MS) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    setTimeout(() => {
      this.finished.push(...spans);
      this.exportedAt.push(performance.now());
      done({ code: ExportResultCode.SUCCESS });
    }, this.delayMs);
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export interface MemoryTracing {
  provider: TracerProvider;
  exporter: SlowExporter;
  /** Spans whose export has COMPLETED (ended spans still queued or on the wire are not here). */
  spans(): ReadableSpan[];
  /** forceFlush calls that have RESOLVED (a flush started but still running does not count). */
  flushes: number;
  /** forceFlush calls made, settled or not. */
  flushCalls: number;
}

/**
 * A provider on which only a completed flush makes spans visible: a batch processor with a
 * schedule far beyond any test, in front of an exporter that takes `delayMs` per export.
 */
export function memoryTracing(delayMs = EXPORT_DELAY_MS): MemoryTracing {
  registerContextManager();
  const exporter = new SlowExporter(delayMs);
  const processor = new BatchSpanProcessor({ exporter, scheduledDelayMillis: 3_600_000, maxQueueSize: 10_000, maxExportBatchSize: 10_000 });
  const provider = new TracerProvider({ spanProcessors: [processor] });
  const m: MemoryTracing = { provider, exporter, spans: () => [...exporter.finished], flushes: 0, flushCalls: 0 };
  const original = provider.forceFlush.bind(provider);
  provider.forceFlush = () => {
    m.flushCalls++;
    return original().then(() => {
      m.flushes++;
    });
  };
  return m;
}

/** Resets the process-wide state between tests (cold start, active requests, setup). */
export function resetProcessState(): void {
  const s = processState();
  s.coldStartTaken = false;
  s.activeRequest = undefined;
  s.activeRequests.clear();
  s.pendingSetup = undefined;
  s.shutdown = undefined;
  s.shutdownHooks.length = 0;
}

export function childOf(spans: ReadableSpan[], parent: ReadableSpan): ReadableSpan[] {
  return spans.filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);
}

export function tracer(m: MemoryTracing) {
  return m.provider.getTracer('test');
}

export { trace };
