import type { SpanContext } from '@opentelemetry/api';

export type { ExportItemCounts, FlushOutcome, FlushReason, Signal, SignalFlushStatus } from '../outcome.js';
import type { FlushOutcome, FlushReason } from '../outcome.js';

/** Flushes every provider within a budget. Never throws. */
export interface Flusher {
  flush(budgetMs: number, reason: FlushReason): Promise<FlushOutcome>;
  /** As `flush`, for a caller that ignores the outcome (built then only if someone else wants it). */
  flushQuietly?(budgetMs: number, reason: FlushReason): Promise<unknown>;
}

/** What the lifecycle tells the strategy when an invocation span has ended. */
export interface InvokeEnd {
  requestId: string;
  /** The invocation span's context (e.g. to place the init span in the first invoke's trace). */
  spanContext?: SpanContext;
  /** Epoch ms at which Lambda kills the invoke. */
  deadlineMs: number;
  /** Runs the bounded flush (the budget is computed by the caller of `flush`); what it resolves to is not for the strategy. */
  flush: (reason: FlushReason) => Promise<unknown>;
}

/**
 * Decides when the flush of an invoke happens. The wrapper awaits `onInvokeEnd` before it
 * hands the handler's result to the runtime.
 */
export interface FlushStrategy {
  readonly mode: 'sync' | 'after-response' | 'periodic' | 'adaptive' | 'background';
  onInvokeEnd(end: InvokeEnd): Promise<void>;
  /**
   * The deadline guard fired: the handler is still running close to its deadline and its span
   * was just ended as a timeout. Lambda will kill the invoke, so no platform report follows.
   */
  onDeadline?(requestId: string): void;
}
