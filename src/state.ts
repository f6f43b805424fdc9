// Process-wide state shared by every copy of the library loaded in the process (an ESM and a
// CJS copy, or two bundles): cold start must be taken once, SIGTERM installed once.
import type { FlushOutcome, FlushReason, Signal } from './flush/types.js';

/** What the shutdown path and `flushNow` need from the most recently built wrapper. */
export interface FlushTarget {
  flush(budgetMs: number, reason: FlushReason): Promise<FlushOutcome>;
  shutdown(budgetMs: number): Promise<FlushOutcome>;
  readonly flushTimeoutMs: number;
  readonly shutdownTimeoutMs: number;
  /** Ends the spans of invocations still open (SIGTERM mid-invoke). */
  endOpenInvocations(reason: string): void;
}

export interface ProcessState {
  coldStartTaken: boolean;
  /** Request ids with an invocation span open, so nested wrappers pass through. */
  activeRequests: Set<string>;
  sigtermInstalled: boolean;
  target?: FlushTarget;
  shutdownHooks: Array<(budgetMs: number) => Promise<void> | void>;
  shutdown?: Promise<FlushOutcome | undefined>;
  /** setupTelemetry() still loading the SDK: the first invoke waits for it. */
  pendingSetup?: Promise<unknown>;
  setup?: Promise<unknown>;
  /** Export results seen by the counting exporters of setupTelemetry(). */
  health: ExportHealth;
  /**
   * Providers built by setupTelemetry(), whose pending / in-flight counts in `health` are
   * exact. Optional: a state object made by an older copy of the library lacks it.
   */
  countedProviders?: WeakSet<object>;
  /** Signals whose last flush did not finish `ok`: their providers may still hold items. */
  unsettled?: Record<Signal, boolean>;
}

/** Counters kept by the exporter wrappers that setupTelemetry() installs. */
export interface ExportHealth {
  /** Failed export calls per signal since the process started. */
  failures: Record<Signal, number>;
  /** Last export error per signal. */
  lastError: Partial<Record<Signal, unknown>>;
  /** Items (spans, log records) ended since the last flush started. */
  pending: Record<Signal, number>;
  /** Export calls still waiting for their result. */
  inFlight: Record<Signal, number>;
}

const KEY = Symbol.for('otel-lambda-flush.process-state');

export function processState(): ProcessState {
  const g = globalThis as unknown as Record<symbol, ProcessState | undefined>;
  let s = g[KEY];
  if (!s) {
    s = {
      coldStartTaken: false,
      activeRequests: new Set(),
      sigtermInstalled: false,
      shutdownHooks: [],
      health: {
        failures: { traces: 0, metrics: 0, logs: 0 },
        lastError: {},
        pending: { traces: 0, metrics: 0, logs: 0 },
        inFlight: { traces: 0, metrics: 0, logs: 0 },
      },
    };
    g[KEY] = s;
  }
  return s;
}
