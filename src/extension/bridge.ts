// Main-thread side of the extension worker: boots it, waits for its registration with a bounded
// Atomics.wait (works while a CommonJS or ESM module is still loading), and relays messages.
import type { Worker } from 'node:worker_threads';
import { workerThreads } from '../worker-threads.js';
import {
  FLAG_INVOKE,
  FLAG_TELEMETRY,
  SLOT_COUNT,
  SLOT_FLAGS,
  SLOT_REFUSED_STATUS,
  SLOT_STATE,
  SLOT_TELEMETRY_PORT,
  STATE_BOOTING,
  STATE_REGISTERED,
  WORKER_RESOURCE_LIMITS,
  type FromWorker,
  type ListenerStats,
  type TelemetryEvent,
  type ToWorker,
  type WorkerConfig,
  type WorkerData,
} from './worker/protocol.js';

import { ReportWaits } from './report-waits.js';

// Replaced at build time (esbuild / vitest `define`) by the bundled worker script.
declare const __OLF_WORKER_SOURCE__: string;

/** Events kept for a consumer that subscribes late (bounded). */
const EARLY_EVENTS_MAX = 256;

// Atomics.waitAsync (Node >= 16) is typed only from lib es2024 on.
type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
  timeoutMs: number,
) => { async: false; value: string } | { async: true; value: Promise<string> };

/** Where the extension stands. */
export type ExtensionState = 'booting' | 'registered' | 'failed';

/** Listener statistics as the worker reports them. */
export interface ExtensionStats {
  listener: ListenerStats;
  /** INVOKEs released by the deadline bound rather than by `done`. */
  gateTimeouts: number;
}

/** The running extension worker, seen from the main thread. */
export class ExtensionBridge {
  private readonly worker: Worker;
  private readonly shared = new Int32Array(new SharedArrayBuffer(SLOT_COUNT * 4));
  private current: ExtensionState = 'booting';
  /** Why registration failed, for the wrap-time warning (e.g. `refused with HTTP 403`). */
  failure: string | undefined;
  private configured = false;
  private flags = 0;
  private port = 0;
  private readonly consumers = new Set<(events: TelemetryEvent[]) => void>();
  private early: TelemetryEvent[] = [];
  private readonly reports = new ReportWaits();
  private statsWaiters: ((s: ExtensionStats) => void)[] = [];
  /** Messages the worker asked to surface (warnings), passed to `onWarn`. */
  onWarn: (message: string, once?: string) => void = () => {};
  /** Request id of the last invoke released through {@link done}. */
  lastInvokeId: string | undefined;

  /**
   * Starts the worker. `prepare.host`: the Telemetry API listener host to look up right away,
   * before {@link start} sends the configuration.
   */
  constructor(prepare?: { host: string }) {
    const data: WorkerData = { shared: this.shared.buffer as SharedArrayBuffer, ...(prepare ? { prepare } : {}) };
    this.worker = new (workerThreads().Worker)(__OLF_WORKER_SOURCE__, {
      eval: true,
      name: 'otel-lambda-flush-extension',
      workerData: data,
      // The worker needs no preloads (e.g. instrumentation hooks): keep its boot light.
      execArgv: [],
      stdout: false,
      stderr: false,
      resourceLimits: WORKER_RESOURCE_LIMITS,
    });
    this.worker.unref();
    this.worker.on('message', (m: FromWorker) => this.receive(m));
    this.worker.on('error', (err) => {
      this.current = 'failed';
      this.onWarn(`extension worker crashed: ${err instanceof Error ? err.message : String(err)}`, 'worker-crashed');
    });
  }

  /** Current state. */
  get state(): ExtensionState {
    return this.current;
  }

  /** Registered for INVOKE: invokes stay open until {@link done}. */
  get gating(): boolean {
    return this.current === 'registered' && (this.flags & FLAG_INVOKE) !== 0;
  }

  /** The Telemetry API subscription was accepted. */
  get subscribed(): boolean {
    return this.current === 'registered' && (this.flags & FLAG_TELEMETRY) !== 0;
  }

  /** Port of the Telemetry API listener (0 when none). */
  get telemetryPort(): number {
    return this.port;
  }

  /**
   * Sends the configuration (once): the worker registers in the background. Pair with
   * {@link waitRegistered}, which must run before the runtime's first `/next`.
   */
  start(config: WorkerConfig): void {
    this.configure(config);
  }

  /**
   * Blocks the calling thread until the registration begun by {@link start} succeeded, failed,
   * or `timeoutMs` passed (then the worker is told to never hold an invoke). Returns the known
   * outcome at once when it is already settled. Returns true when registered.
   */
  waitRegistered(timeoutMs: number): boolean {
    if (!this.configured || this.current !== 'booting') return this.current === 'registered';
    const until = performance.now() + timeoutMs;
    // Bounded: each wait ends on a state change or on the remaining time.
    while (Atomics.load(this.shared, SLOT_STATE) === STATE_BOOTING) {
      const left = until - performance.now();
      if (left <= 0) break;
      Atomics.wait(this.shared, SLOT_STATE, STATE_BOOTING, left);
    }
    return this.settle(timeoutMs);
  }

  /**
   * Like {@link start} + {@link waitRegistered} without blocking the thread (for callers that
   * can await, e.g. tests whose fake Runtime API runs on this same thread).
   */
  async registerAsync(config: WorkerConfig, timeoutMs: number): Promise<boolean> {
    if (!this.configure(config)) return this.current === 'registered';
    const until = performance.now() + timeoutMs;
    while (Atomics.load(this.shared, SLOT_STATE) === STATE_BOOTING) {
      const left = until - performance.now();
      if (left <= 0) break;
      const w = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync(this.shared, SLOT_STATE, STATE_BOOTING, left);
      if (w.async) await w.value;
    }
    return this.settle(timeoutMs);
  }

  /** Sends the configuration once; false when it was already sent (or the worker died). */
  private configure(config: WorkerConfig): boolean {
    if (this.configured) return false;
    this.configured = true;
    if (this.current === 'failed') return false;
    this.post({ type: 'configure', config });
    return true;
  }

  private settle(timeoutMs: number): boolean {
    const state = Atomics.load(this.shared, SLOT_STATE);
    if (state === STATE_BOOTING) {
      this.post({ type: 'abandon' });
      this.current = 'failed';
      this.failure = `did not complete within ${timeoutMs} ms`;
            return false;
    }
    if (state !== STATE_REGISTERED) {
      this.current = 'failed';
      const status = Atomics.load(this.shared, SLOT_REFUSED_STATUS);
      this.failure = status > 0 ? `refused with HTTP ${status}` : 'failed';
      return false;
    }
    this.flags = Atomics.load(this.shared, SLOT_FLAGS);
    this.port = Atomics.load(this.shared, SLOT_TELEMETRY_PORT);
    this.current = 'registered';
    return true;
  }

  /** Releases the worker's `/event/next` for `requestId`. Safe to call in any state. */
  done(requestId: string): void {
    this.lastInvokeId = requestId;
    if (this.gating) this.post({ type: 'done', requestId });
  }

  /** Receives each batch of validated Telemetry API events; returns an unsubscribe function. */
  onTelemetry(consumer: (events: TelemetryEvent[]) => void): () => void {
    this.consumers.add(consumer);
    if (this.early.length > 0) {
      const early = this.early;
      this.early = [];
      consumer(early);
    }
    return () => this.consumers.delete(consumer);
  }

  /**
   * Resolves true once the `platform.report` of `requestId` was received (and handed to the
   * consumers), false after `timeoutMs`.
   */
  waitForReport(requestId: string, timeoutMs: number): Promise<boolean> {
    if (!this.subscribed) return this.reports.wait(requestId, 0);
    return this.reports.wait(requestId, timeoutMs);
  }

  /** Asks the worker for its counters (bounded by `timeoutMs`). */
  stats(timeoutMs = 1000): Promise<ExtensionStats | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.statsWaiters = this.statsWaiters.filter((w) => w !== done);
        resolve(undefined);
      }, timeoutMs);
      const done = (s: ExtensionStats): void => {
        clearTimeout(timer);
        resolve(s);
      };
      this.statsWaiters.push(done);
      this.post({ type: 'stats' });
    });
  }

  /** Stops the worker (tests; in Lambda the process is frozen or killed instead). */
  async terminate(): Promise<void> {
    this.current = 'failed';
    await this.worker.terminate();
  }

  private post(message: ToWorker): void {
    try {
      this.worker.postMessage(message);
    } catch {
      // A dead worker: the state already says failed.
    }
  }

  private receive(m: FromWorker): void {
    switch (m.type) {
      case 'telemetry':
        this.deliver(m.events);
        return;
      case 'warn':
        this.onWarn(m.message, m.once);
        return;
      case 'ready':
        if (!m.registered && m.error) this.onWarn(`extension registration failed: ${m.error}`, 'registration-cause');
        return;
      case 'stats': {
        const waiters = this.statsWaiters;
        this.statsWaiters = [];
        for (const w of waiters) w({ listener: m.stats, gateTimeouts: m.gateTimeouts });
        return;
      }
    }
  }

  private deliver(events: TelemetryEvent[]): void {
    if (this.consumers.size === 0) {
      this.early.push(...events);
      if (this.early.length > EARLY_EVENTS_MAX) this.early.splice(0, this.early.length - EARLY_EVENTS_MAX);
    } else {
      for (const c of this.consumers) {
        try {
          c(events);
        } catch (err) {
          this.onWarn(`telemetry consumer failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }
    for (const e of events) if (e.type === 'platform.report') this.reports.arrived((e.record as { requestId: string }).requestId);
  }
}
