// What a flush reports. Ground floor: the options (onFlush), the flusher and the shutdown path
// all speak it.

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
