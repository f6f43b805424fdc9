// Exporter wrappers that count results: the SDK's forceFlush resolves even when the export
// failed, so this is how a flush outcome learns of failures (HTTP errors, timeouts, refused
// connections: everything the OTLP exporter reports through its result callback).
import type { Signal } from '../outcome.js';
import { processState } from '../state.js';

interface ExportResultLike {
  code: number;
  error?: Error;
}

interface ExporterLike<T> {
  export(items: T, resultCallback: (result: ExportResultLike) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

const DELEGATED = ['shutdown', 'forceFlush', 'selectAggregationTemporality', 'selectAggregation'] as const;

/** Wraps an exporter: the same methods (bound to the inner one), results counted per signal. */
export function countingExporter<E extends ExporterLike<any>>(signal: Signal, inner: E): E {
  const health = processState().health;
  const wrapper: Record<string, unknown> = {};
  for (const name of DELEGATED) {
    const fn = (inner as unknown as Record<string, unknown>)[name];
    if (typeof fn === 'function') wrapper[name] = fn.bind(inner);
  }
  wrapper.export = (items: unknown, resultCallback: (result: ExportResultLike) => void) => {
    health.inFlight[signal]++;
    let reported = false;
    const report = (result: ExportResultLike) => {
      if (reported) return;
      reported = true;
      health.inFlight[signal]--;
      if (result.code !== 0) {
        health.failures[signal]++;
        health.lastError[signal] = result.error ?? new Error(`${signal} export failed`);
      }
      resultCallback(result);
    };
    try {
      inner.export(items, report);
    } catch (e) {
      report({ code: 1, error: e instanceof Error ? e : new Error(String(e)) });
    }
  };
  return wrapper as unknown as E;
}

/** A span / log processor that only counts ended items, for "pending since last flush". */
export function pendingCounter(signal: Signal) {
  const health = processState().health;
  return {
    onStart(): void {},
    onEnd(): void {
      health.pending[signal]++;
    },
    onEmit(): void {
      health.pending[signal]++;
    },
    forceFlush: (): Promise<void> => Promise.resolve(),
    shutdown: (): Promise<void> => Promise.resolve(),
  };
}
