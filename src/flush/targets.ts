// Where the providers to flush come from: explicit ones from the options, else the globally
// registered ones, looked up at each flush so a provider registered after the wrapper was
// built (setupTelemetry() finishing late) is still flushed.
import { metrics, trace } from '@opentelemetry/api';
import { globalLoggerProvider } from '../internals/otel-api.js';
import type { Signal } from './types.js';

/** Anything with the SDK providers' forceFlush()/shutdown(). */
export interface Flushable {
  forceFlush?: () => Promise<unknown> | unknown;
  shutdown?: () => Promise<unknown> | unknown;
}

export type FlushTargets = Partial<Record<Signal, Flushable>>;

/** The API's ProxyTracerProvider hides the SDK provider: unwrap it. */
export function unwrapProvider(p: unknown): Flushable | undefined {
  if (typeof p !== 'object' || p === null) return undefined;
  const delegate = (p as { getDelegate?: () => unknown }).getDelegate;
  const real = typeof delegate === 'function' ? delegate.call(p) : p;
  return typeof real === 'object' && real !== null ? (real as Flushable) : undefined;
}

export function resolveTargets(explicit: { tracerProvider?: unknown; meterProvider?: unknown; loggerProvider?: unknown }): FlushTargets {
  return {
    traces: unwrapProvider(explicit.tracerProvider ?? trace.getTracerProvider()),
    metrics: unwrapProvider(explicit.meterProvider ?? metrics.getMeterProvider()),
    logs: unwrapProvider(explicit.loggerProvider ?? globalLoggerProvider()),
  };
}
