import type { SpanContext } from '@opentelemetry/api';

/** Result of flushing one signal's provider. */
export type SignalFlushStatus = 'ok' | 'failed' | 'timeout' | 'skipped';

/** Which telemetry signal a provider carries. */
export type Signal = 'traces' | 'metrics' | 'logs';

/** Why a flush happened. */
export type FlushReason = 'invoke' | 'deadline' | 'shutdown' | 'periodic';

/**
 * Items handled by the reliable exporters during one flush, per signal. Counts only the
 * exporters of `setupTelemetry()` and those wrapped with `reliableExporter()`.
 */
export interface ExportItemCounts {
  /** Items the collector accepted. */
  exported: number;
  /** Items sent again after a failed attempt (within this flush or kept from an earlier one). */
  retried: number;
  /** Items held at the end of the flush for a later one (not a delta). */
  kept: number;
  /** Items lost: keep bounds, rejected by the collector (4xx), processor queue full. */
  dropped: number;
  /** Items written to stdout instead of being dropped (`OTEL_LAMBDA_EXPORT_FALLBACK=stdout`). */
  spilled: number;
}

/** What one flush did, reported through `onFlush` and `diag`. */
export interface FlushOutcome {
  /** Why the flush ran. */
  reason: FlushReason;
  /** Wall time the flush took, in milliseconds. */
  durationMs: number;
  /** The budget it was given, in milliseconds. */
  budgetMs: number;
  /** `ok` only when every flushed signal is `ok` (or `skipped`): nothing dropped, nothing left kept. */
  status: 'ok' | 'failed' | 'timeout';
  /** Per signal; signals with no provider are `skipped`. */
  signals: Record<Signal, SignalFlushStatus>;
  /** Per signal item counters of the reliable exporters (all zero for providers without them). */
  items?: Record<Signal, ExportItemCounts>;
  /** First error seen, for diagnostics. */
  error?: unknown;
}

/** Flushes every provider within a budget. Never throws. */
export interface Flusher {
  flush(budgetMs: number, reason: FlushReason): Promise<FlushOutcome>;
}

/** What the lifecycle tells the strategy when an invocation span has ended. */
export interface InvokeEnd {
  requestId: string;
  /** The invocation span's context (e.g. to place the init span in the first invoke's trace). */
  spanContext?: SpanContext;
  /** Epoch ms at which Lambda kills the invoke. */
  deadlineMs: number;
  /** Runs the bounded flush (the budget is computed by the caller of `flush`). */
  flush: (reason: FlushReason) => Promise<FlushOutcome>;
}

/**
 * Decides when the flush of an invoke happens. The wrapper awaits `onInvokeEnd` before it
 * hands the handler's result to the runtime.
 */
export interface FlushStrategy {
  readonly mode: 'sync' | 'after-response' | 'periodic' | 'adaptive';
  onInvokeEnd(end: InvokeEnd): Promise<void>;
  /**
   * The deadline guard fired: the handler is still running close to its deadline and its span
   * was just ended as a timeout. Lambda will kill the invoke, so no platform report follows.
   */
  onDeadline?(requestId: string): void;
}
