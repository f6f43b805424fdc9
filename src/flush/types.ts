import type { SpanContext } from '@opentelemetry/api';

/** Result of flushing one signal's provider. */
export type SignalFlushStatus = 'ok' | 'failed' | 'timeout' | 'skipped';

/** Which telemetry signal a provider carries. */
export type Signal = 'traces' | 'metrics' | 'logs';

/** Why a flush happened. */
export type FlushReason = 'invoke' | 'deadline' | 'shutdown' | 'periodic';

/** What one flush did, reported through `onFlush` and `diag`. */
export interface FlushOutcome {
  /** Why the flush ran. */
  reason: FlushReason;
  /** Wall time the flush took, in milliseconds. */
  durationMs: number;
  /** The budget it was given, in milliseconds. */
  budgetMs: number;
  /** `ok` only when every flushed signal is `ok` (or `skipped`). */
  status: 'ok' | 'failed' | 'timeout';
  /** Per signal; signals with no provider are `skipped`. */
  signals: Record<Signal, SignalFlushStatus>;
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
