// Process-wide state, shared by every copy of the library loaded in this thread (an ESM and a
// CJS copy, two bundles) under one versioned key. Only what must exist once per process lives
// here: the cold-start flag, the SIGTERM hook and its flush targets, request ids of open
// invocations (so nested wrappers pass through, even across copies), the extension's slot, and
// the export bookkeeping of setupTelemetry(). The state of one invocation never lives here: it
// belongs to that invocation (src/invocation/, carried in its OpenTelemetry context).
// A future incompatible shape takes a new key (`.v2`) instead of reading this one.
import type { FlushOutcome, FlushReason, Signal } from './outcome.js';

/** What the shutdown path and `flushNow` need from a built wrapper. */
export interface FlushTarget {
  flush(budgetMs: number, reason: FlushReason): Promise<FlushOutcome>;
  shutdown(budgetMs: number): Promise<FlushOutcome>;
  /** The providers it flushes, resolved now: two wrappers over the same providers flush once. */
  providers(): readonly unknown[];
  readonly flushTimeoutMs: number;
  readonly shutdownTimeoutMs: number;
  /** Ends the spans of invocations still open (SIGTERM mid-invoke). */
  endOpenInvocations(reason: string): void;
}

/** Counters kept by the processors and reliable exporters that setupTelemetry() installs. */
export interface ExportHealth {
  /** Items (spans, log records) ended since the last flush started. */
  pending: Record<Signal, number>;
  /** Export calls still waiting for their result. */
  inFlight: Record<Signal, number>;
}

export interface ProcessState {
  coldStartTaken: boolean;
  /**
   * Request ids with an invocation span open, so nested wrappers pass through: the one open
   * invocation of a one-at-a-time environment in `activeRequest` (a property write per invoke;
   * a Set's add and delete of a fresh id cost several percent of a no-op invoke), the others
   * (overlapping invokes) in `activeRequests`.
   */
  activeRequest?: string;
  readonly activeRequests: Set<string>;
  sigtermInstalled: boolean;
  /** Every wrapper built in this process: SIGTERM and `flushNow` flush them all. */
  readonly targets: Set<FlushTarget>;
  readonly shutdownHooks: Array<(budgetMs: number) => Promise<void> | void>;
  shutdown?: Promise<FlushOutcome | undefined>;
  /** setupTelemetry() still loading the SDK: the first invoke waits for it. */
  pendingSetup?: Promise<unknown>;
  setup?: Promise<unknown>;
  /** Export results seen by the counting exporters of setupTelemetry(). */
  readonly health: ExportHealth;
  /** Providers built by setupTelemetry(), whose pending / in-flight counts in `health` are exact. */
  countedProviders: WeakSet<object>;
  /** Signals whose last flush did not finish `ok`: their providers may still hold items. */
  unsettled: Record<Signal, boolean>;
  /** The extension's slot (src/extension/slot.ts gives it its type). */
  readonly extension: Record<string, unknown>;
  /** Lambda Managed Instances thread coordination (src/managed/ gives it its type). */
  readonly managed: Record<string, unknown>;
  /**
   * Main thread on Lambda Managed Instances: tells the worker threads to flush and shut down,
   * resolves when all answered (bounded by `budgetMs`). Run by the shutdown before the main
   * thread's own flush.
   */
  threadShutdown?: (budgetMs: number) => Promise<void>;
}

const KEY = Symbol.for('otel-lambda-flush.state.v1');

function create(): ProcessState {
  return {
    coldStartTaken: false,
    activeRequests: new Set(),
    sigtermInstalled: false,
    targets: new Set(),
    shutdownHooks: [],
    health: {
      pending: { traces: 0, metrics: 0, logs: 0 },
      inFlight: { traces: 0, metrics: 0, logs: 0 },
    },
    countedProviders: new WeakSet(),
    unsettled: { traces: false, metrics: false, logs: false },
    extension: {},
    managed: {},
  };
}

/** This process's (thread's) shared state. */
export function processState(): ProcessState {
  const g = globalThis as unknown as Record<symbol, ProcessState | undefined>;
  return (g[KEY] ??= create());
}
