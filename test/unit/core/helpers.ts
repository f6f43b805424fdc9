// Real SDK pieces for unit tests: a tracer provider with an in-memory exporter, and the
// AsyncLocalStorage context manager registered globally (as setupTelemetry does).
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { processState } from '../../../src/state.js';

let registered = false;

export function registerContextManager(): void {
  if (registered) return;
  registered = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}

export interface MemoryTracing {
  provider: TracerProvider;
  exporter: InMemorySpanExporter;
  spans(): ReadableSpan[];
  flushes: number;
}

/** A provider whose forceFlush is counted; spans are exported synchronously on end. */
export function memoryTracing(): MemoryTracing {
  registerContextManager();
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const m: MemoryTracing = { provider, exporter, spans: () => exporter.getFinishedSpans(), flushes: 0 };
  const original = provider.forceFlush.bind(provider);
  provider.forceFlush = () => {
    m.flushes++;
    return original();
  };
  return m;
}

/** Resets the process-wide state between tests (cold start, active requests, setup). */
export function resetProcessState(): void {
  const s = processState();
  s.coldStartTaken = false;
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
