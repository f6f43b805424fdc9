// Process-wide export bookkeeping shared by every reliable exporter (and every copy of the
// library in the process): per-signal item counters, and the deadline of the flush running
// now, so exporters bound their attempts and retries by what the flush may still spend.
import type { Signal } from '../../outcome.js';

/** Item counters of one signal since the process started (`kept` is the number held now). */
export interface SignalExportStats {
  /** Items the collector accepted. */
  exported: number;
  /** Items sent again after a failed attempt (in the same flush or a later one). */
  retried: number;
  /** Items held now for a later flush. */
  kept: number;
  /** Items lost: keep bounds, non-retryable rejections, processor queue overflows. */
  dropped: number;
  /** Items written to stdout instead of being dropped (fallback transport). */
  spilled: number;
  /** Export attempts that failed. */
  failedAttempts: number;
}

export interface ExportControl {
  stats: Record<Signal, SignalExportStats>;
  /** `performance.now()` by which the running flush must end; undefined outside a flush. */
  deadline?: number;
  /** The shutdown flush is running: last chance, so the breaker and Retry-After pauses are ignored. */
  finalFlush?: boolean;
  /** Exports are failing now (warned once; a recovery warns again). */
  failing: boolean;
  lastError?: unknown;
}

const KEY = Symbol.for('otel-lambda-flush.export-control');

function fresh(): SignalExportStats {
  return { exported: 0, retried: 0, kept: 0, dropped: 0, spilled: 0, failedAttempts: 0 };
}

/** The process-wide export control block. */
export function exportControl(): ExportControl {
  const g = globalThis as unknown as Record<symbol, ExportControl | undefined>;
  return (g[KEY] ??= { stats: { traces: fresh(), metrics: fresh(), logs: fresh() }, failing: false });
}

/** A copy of the counters, for deltas. */
export function snapshotStats(): Record<Signal, SignalExportStats> {
  const { stats } = exportControl();
  return { traces: { ...stats.traces }, metrics: { ...stats.metrics }, logs: { ...stats.logs } };
}

/** One console line when exports start failing, one when they recover (never per batch). */
export function noteHealth(ok: boolean, error?: unknown): void {
  const control = exportControl();
  if (!ok) control.lastError = error;
  if (ok === !control.failing) return;
  control.failing = !ok;
  if (ok) console.warn('otel-lambda-flush: telemetry export recovered; kept data is being delivered');
  else {
    const why = error instanceof Error ? error.message : String(error ?? 'unknown error');
    console.warn(`otel-lambda-flush: telemetry export failing (${why}); data is kept within bounds and retried at the next flushes`);
  }
}
