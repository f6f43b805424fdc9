// Messages and shared-memory layout between the main thread and the extension worker.
// Type-only on the main thread's side, except the small constants below.

/** Slots of the Int32Array over the SharedArrayBuffer the main thread waits on. */
export const SLOT_STATE = 0;
/** Port the Telemetry API listener really listens on (0 when none). */
export const SLOT_TELEMETRY_PORT = 1;
/** Bit flags, see FLAG_*. */
export const SLOT_FLAGS = 2;
/** HTTP status of a refused registration (0: not refused, or no HTTP answer). */
export const SLOT_REFUSED_STATUS = 3;
/** Number of Int32 slots. */
export const SLOT_COUNT = 4;

/**
 * V8 heap bounds of the worker. Without them it takes the process's flags (Lambda sizes those
 * for the main thread: a 6 MB semi-space and 115 MB old space at 128 MB) or, outside Lambda,
 * V8's defaults for the machine. The worker's live data is small and bounded (the listener's
 * bytes in flight are capped at two deliveries), so a small young generation costs a few more
 * scavenges, and the old-space cap is far above what it can hold.
 */
export const WORKER_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 3, maxOldGenerationSizeMb: 64 } as const;

/** SLOT_STATE values. */
export const STATE_BOOTING = 0;
export const STATE_REGISTERED = 1;
export const STATE_FAILED = 2;

/** Registered for INVOKE events (so invokes are gated until `done`). */
export const FLAG_INVOKE = 1;
/** Telemetry API subscription accepted. */
export const FLAG_TELEMETRY = 2;

/**
 * `workerData` of the worker. `prepare.host`: the Telemetry API listener host the environment
 * asks for, looked up while the main thread is still loading modules.
 */
export interface WorkerData {
  shared: SharedArrayBuffer;
  prepare?: { host: string };
}

/** Buffering of the Telemetry API subscription, always sent explicitly. */
export interface TelemetryBuffering {
  maxItems: number;
  maxBytes: number;
  timeoutMs: number;
}

/** Everything the worker needs to register; sent once, when the handler is wrapped. */
export interface WorkerConfig {
  /** `host:port` of the Runtime API. */
  runtimeApi: string;
  /** `Lambda-Extension-Name`. */
  name: string;
  /** Register for INVOKE (gating) or for nothing (SIGTERM / telemetry only). */
  invoke: boolean;
  /** Keep an INVOKE open at most until `deadlineMs - gateMarginMs`. */
  gateMarginMs: number;
  /**
   * Hold INVOKEs until `done` from the start (default). `false`: release them at once until a
   * `hold` message (a registration made before any wrapper links to it).
   */
  hold?: boolean;
  telemetry?: {
    /** Host Lambda delivers to, and the listener binds to. */
    host: string;
    /** 0 for a random port. */
    port: number;
    types: ('platform' | 'function' | 'extension')[];
    buffering: TelemetryBuffering;
    /** Longest a delivery may take to arrive in full, in ms. */
    bodyTimeoutMs: number;
  };
}

/** Main thread → worker. */
export type ToWorker =
  | { type: 'configure'; config: WorkerConfig }
  /** The main thread stopped waiting: never gate an invoke. */
  | { type: 'abandon' }
  /** A wrapper linked to the extension: from now on hold each INVOKE until `done`. */
  | { type: 'hold' }
  /** The invoke's telemetry is flushed (or given up on): release `/event/next`. */
  | { type: 'done'; requestId: string }
  | { type: 'stats' };

/** A validated Telemetry API event, as forwarded to the main thread. */
export interface TelemetryEvent {
  /** Event time, epoch ms (NaN-free: events without a parseable time are dropped). */
  time: number;
  type: string;
  record: unknown;
}

/** Listener counters, for tests and diagnostics. */
export interface ListenerStats {
  /** Batches accepted (200). */
  batches: number;
  /** Events forwarded. */
  events: number;
  /** Events of types we do not handle. */
  unknown: number;
  /** Events with wrong field types or impossible values. */
  invalid: number;
  /** Of `invalid`: well-typed events with a value Lambda cannot produce (e.g. a 1e9 ms duration). */
  outOfRange: number;
  /** Known event types we do not use. */
  unused: number;
  /** Most body bytes held at once, across requests (bounded by the in-flight budget). */
  peakInFlightBytes: number;
  /** Connections closed to make room for newer ones (at the connection cap). */
  evicted: number;
  /** Requests refused, by HTTP status (404: not the subscription path). */
  rejected: Record<string, number>;
}

/** Worker → main thread. */
export type FromWorker =
  /** `identifier`: Lambda's, so the main thread can keep polling should the worker die. */
  | { type: 'ready'; registered: boolean; invoke: boolean; telemetryPort?: number; subscribed: boolean; error?: string; identifier?: string }
  | { type: 'telemetry'; events: TelemetryEvent[] }
  /**
   * A warning. With `once`: a problem the user must see in the first run without a diag logger
   * (the listener could not start, the subscription was refused): print it once under that key.
   */
  | { type: 'warn'; message: string; once?: 'telemetry-listener' | 'telemetry-subscription' }
  | { type: 'stats'; stats: ListenerStats; gateTimeouts: number };
