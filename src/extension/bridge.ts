// Main-thread side of the extension: starts its core on a worker thread or on this thread
// (hosts.ts), waits for its registration — blocking with a bounded Atomics.wait where module
// loading cannot wait (CommonJS), without blocking where it can — and relays messages.
import {
  FLAG_INVOKE,
  FLAG_TELEMETRY,
  SLOT_COUNT,
  SLOT_FLAGS,
  SLOT_REFUSED_STATUS,
  SLOT_STATE,
  SLOT_TELEMETRY_PORT,
  STATE_BOOTING,
  STATE_FAILED,
  STATE_REGISTERED,
  type FromWorker,
  type ListenerStats,
  type TelemetryEvent,
  type ToWorker,
  type WorkerConfig,
} from './worker/protocol.js';
import { adoptOnMainThread, startMainThreadHost, startWorkerHost, type ExtensionHost, type HostThread } from './hosts.js';
import { ReportWaits } from './report-waits.js';
/** Events kept for a consumer that subscribes late (bounded). */
const EARLY_EVENTS_MAX = 256;

// Atomics.waitAsync (Node >= 16) is typed only from lib es2024 on.
type WaitAsync = (array: Int32Array, index: number, value: number, timeoutMs: number) => { async: false; value: string } | { async: true; value: Promise<string> };

/** Where the extension stands. */
export type ExtensionState = 'booting' | 'registered' | 'failed';

/** Listener statistics as the worker reports them. */
export interface ExtensionStats {
  listener: ListenerStats;
  /** INVOKEs released by the deadline bound rather than by `done`. */
  gateTimeouts: number;
}

/** The running extension, seen from the main thread. */
export class ExtensionBridge {
  private readonly host: ExtensionHost;
  private readonly shared = new Int32Array(new SharedArrayBuffer(SLOT_COUNT * 4));
  /** The configuration sent ({@link start}); undefined before. */
  sent: WorkerConfig | undefined;
  /** Lambda's identifier once registered (to take over a dead worker). */
  private identifier: string | undefined;
  /** The core that keeps polling after the worker died. */
  private adopted: { close(): Promise<void> } | undefined;
  private current: ExtensionState = 'booting';
  /** Why registration failed, for the wrap-time warning (e.g. `refused with HTTP 403`). */
  failure: string | undefined;
  private flags = 0;
  private port = 0;
  private readonly consumers = new Set<(events: TelemetryEvent[]) => void>();
  private early: TelemetryEvent[] = [];
  private readonly reports = new ReportWaits();
  private statsWaiters: ((s: ExtensionStats) => void)[] = [];
  /** Messages the worker asked to surface (warnings), passed to `onWarn`. */
  onWarn: (message: string, once?: string) => void = () => {};

  /**
   * Starts the core: on a worker thread (default) or on this thread (`thread: 'main'`, only
   * where the caller can await the registration). `prepare.host`: the Telemetry API listener
   * host to look up right away, before {@link start} sends the configuration. Throws when the
   * worker cannot be constructed.
   */
  constructor(prepare?: { host: string }, thread: HostThread = 'worker') {
    const events = { receive: (m: FromWorker) => this.receive(m), died: (reason: string) => this.died(reason) };
    this.host = thread === 'main' ? startMainThreadHost(this.shared, prepare, events) : startWorkerHost(this.shared, prepare, events);
  }

  /** The thread the extension runs on. */
  get thread(): HostThread {
    return this.host.thread;
  }

  /** Current state (a registration that settled without a wait is taken into account). */
  get state(): ExtensionState {
    this.refresh();
    return this.current;
  }

  /** Registered for INVOKE: invokes stay open until {@link done}. */
  get gating(): boolean {
    return this.state === 'registered' && (this.flags & FLAG_INVOKE) !== 0;
  }

  /** The Telemetry API subscription was accepted. */
  get subscribed(): boolean {
    return this.state === 'registered' && (this.flags & FLAG_TELEMETRY) !== 0;
  }

  /** Settles from the shared slots when the core finished while nobody waited (main-thread host). */
  private refresh(): void {
    if (this.current === 'booting' && this.sent && Atomics.load(this.shared, SLOT_STATE) !== STATE_BOOTING) this.settle(0);
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
    // The main thread cannot block on a registration its own event loop performs.
    if (!this.sent || this.state !== 'booting' || this.host.thread === 'main') return this.current === 'registered';
    const until = performance.now() + timeoutMs;
    // Bounded: each wait ends on a state change or on the remaining time.
    while (Atomics.load(this.shared, SLOT_STATE) === STATE_BOOTING) {
      const left = until - performance.now();
      if (left <= 0) break;
      Atomics.wait(this.shared, SLOT_STATE, STATE_BOOTING, left);
    }
    return this.settle(timeoutMs);
  }

  /** {@link start} + {@link whenSettled} (callers that can await, e.g. tests with a fake API on this thread). */
  registerAsync(config: WorkerConfig, timeoutMs: number): Promise<boolean> {
    this.configure(config);
    return this.whenSettled(timeoutMs);
  }

  /**
   * Resolves once the registration begun by {@link start} succeeded (true) or failed, or after
   * `timeoutMs` (then the core is told to never hold an invoke). Never blocks the thread.
   */
  async whenSettled(timeoutMs: number): Promise<boolean> {
    if (!this.sent || this.state !== 'booting') return this.current === 'registered';
    const until = performance.now() + timeoutMs;
    while (Atomics.load(this.shared, SLOT_STATE) === STATE_BOOTING) {
      const left = until - performance.now();
      if (left <= 0) break;
      const w = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync(this.shared, SLOT_STATE, STATE_BOOTING, left);
      if (w.async) await w.value;
    }
    return this.settle(timeoutMs);
  }

  /** Sends the configuration once (not to a dead worker). */
  private configure(config: WorkerConfig): void {
    if (this.sent) return;
    this.sent = config;
    if (this.current !== 'failed') this.post({ type: 'configure', config });
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

  /** A wrapper linked: from now on each INVOKE is held until {@link done}. */
  hold(): void {
    this.post({ type: 'hold' });
  }

  /** Releases the worker's `/event/next` for `requestId`. Safe to call in any state. */
  done(requestId: string): void {
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

  /** An invoke this process handled ended: its `platform.report` is expected. */
  invocationEnded(requestId: string): void {
    if (this.subscribed) this.reports.ended(requestId);
  }

  /** Resolves true once the report of every ended invoke arrived, false after `timeoutMs`. */
  waitForReports(timeoutMs: number): Promise<boolean> {
    return this.reports.waitAll(this.subscribed ? timeoutMs : 0);
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

  /** Stops the core (tests; a worker the main thread replaced before it registered). */
  async terminate(): Promise<void> {
    this.current = 'failed';
    await Promise.all([this.host.terminate(), this.adopted?.close()]);
  }

  /** Test seam: the worker thread ends as a crash would. */
  crashForTests = (): Promise<unknown> => this.host.crashForTests?.() ?? Promise.resolve();

  private post(message: ToWorker): void {
    this.host.post(message);
  }

  /**
   * The worker thread died (crash, out of memory). Invokes fall back to flushing before the
   * response; a registration it completed is kept alive by polling from this thread, else
   * Lambda would wait for its `/event/next` until each invoke timed out.
   */
  private died(reason: string): void {
    const wasRegistered = this.current === 'registered' || Atomics.load(this.shared, SLOT_STATE) === STATE_REGISTERED;
    if (Atomics.load(this.shared, SLOT_STATE) === STATE_BOOTING) {
      Atomics.store(this.shared, SLOT_STATE, STATE_FAILED);
      Atomics.notify(this.shared, SLOT_STATE);
    }
    this.current = 'failed';
    this.failure ??= `worker ${reason}`;
    const [api, id] = [this.sent?.runtimeApi, this.identifier];
    const takeOver = wasRegistered && api !== undefined && id !== undefined;
    if (takeOver) this.adopted = adoptOnMainThread(api, id);
    this.onWarn(`extension worker ${reason}: flushing before the response from now on${takeOver ? ' (its registration is kept by the main thread)' : ''}`, 'worker-crashed');
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
        if (m.identifier !== undefined) this.identifier = m.identifier;
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
