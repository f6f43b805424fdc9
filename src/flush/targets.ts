// Where the providers to flush come from: explicit ones from the options, else the globally
// registered ones, looked up at each flush so a provider registered after the wrapper was
// built (setupTelemetry() finishing late) is still flushed.
import { metrics, trace } from '@opentelemetry/api';
import type { Signal } from './types.js';

/** Anything with the SDK providers' forceFlush()/shutdown(). */
export interface Flushable {
  forceFlush?: () => Promise<unknown> | unknown;
  shutdown?: () => Promise<unknown> | unknown;
}

export type FlushTargets = Partial<Record<Signal, Flushable>>;

const LOGS_KEY = Symbol.for('io.opentelemetry.js.api.logs');
/** Must match API_BACKWARDS_COMPATIBILITY_VERSION of @opentelemetry/api-logs. */
const LOGS_API_VERSION = 1;

/** The API's ProxyTracerProvider hides the SDK provider: unwrap it. */
export function unwrapProvider(p: unknown): Flushable | undefined {
  if (typeof p !== 'object' || p === null) return undefined;
  const delegate = (p as { getDelegate?: () => unknown }).getDelegate;
  const real = typeof delegate === 'function' ? delegate.call(p) : p;
  return typeof real === 'object' && real !== null ? (real as Flushable) : undefined;
}

/** The global logger provider, read from the api-logs global without importing api-logs. */
export function globalLoggerProvider(): unknown {
  const getter = (globalThis as unknown as Record<symbol, ((v: number) => unknown) | undefined>)[LOGS_KEY];
  return typeof getter === 'function' ? getter(LOGS_API_VERSION) : undefined;
}

export function resolveTargets(explicit: { tracerProvider?: unknown; meterProvider?: unknown; loggerProvider?: unknown }): FlushTargets {
  return {
    traces: unwrapProvider(explicit.tracerProvider ?? trace.getTracerProvider()),
    metrics: unwrapProvider(explicit.meterProvider ?? metrics.getMeterProvider()),
    logs: unwrapProvider(explicit.loggerProvider ?? globalLoggerProvider()),
  };
}
