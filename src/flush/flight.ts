// One flush in progress, as an object rather than a closure over its state: what it flushes
// and since when, per-signal statuses (settled by the providers until the flush ends), the
// first error, and the wait for the providers bounded by the budget. Also the deadlines of the
// flushes running now, which the reliable exporters bound their attempts by.
import { schedule } from '../alarm.js';
import { flushSdkTracerProvider } from '../internals/sdk-trace.js';
import type { ExportControl, SignalExportStats } from '../providers/reliable/stats.js';
import type { ProcessState } from '../state.js';
import type { Flushable } from './targets.js';
import type { FlushOutcome, FlushReason, Signal, SignalFlushStatus } from './types.js';

/** Time the reliable exporters leave to the flusher's own timer, in ms. */
const DEADLINE_SLACK_MS = 3;
const NONE: SignalExportStats = { exported: 0, retried: 0, kept: 0, dropped: 0, spilled: 0, failedAttempts: 0 };
const ZERO: Record<Signal, SignalExportStats> = { traces: NONE, metrics: NONE, logs: NONE };

export type Op = 'forceFlush' | 'shutdown';
export type Control = ExportControl & { reported?: Record<Signal, SignalExportStats> };

/**
 * Deadlines of the flushes running now: exports are bounded by the latest one. An array, not a
 * Set: nearly always one entry, and two flushes may share a deadline.
 */
const activeDeadlines: number[] = [];

function publishDeadline(control: ExportControl): void {
  let latest: number | undefined;
  for (const d of activeDeadlines) if (latest === undefined || d > latest) latest = d;
  control.deadline = latest;
}

function removeDeadline(deadline: number): void {
  const i = activeDeadlines.lastIndexOf(deadline);
  if (i < 0) return;
  // Order does not matter (publishDeadline takes the latest): swap with the last, pop.
  const last = activeDeadlines.pop()!;
  if (i < activeDeadlines.length) activeDeadlines[i] = last;
}

/** Turns an ended flight into its outcome (the flusher). `undefined`: nobody wants the outcome object. */
export interface FlightOwner {
  complete(flight: Flight, timedOut: boolean): FlushOutcome | undefined;
}

export class Flight {
  traces: SignalFlushStatus = 'skipped';
  metrics: SignalFlushStatus = 'skipped';
  logs: SignalFlushStatus = 'skipped';
  error: unknown = undefined;
  /** `performance.now()` by which the exporters must be done (published while this runs). */
  readonly deadline: number;
  /** Counters as the previous flush left them: this flush's item counts are the difference. */
  readonly statsBefore: Record<Signal, SignalExportStats>;
  /** Providers and drains not settled yet. */
  private pending = 0;
  private resolve: ((outcome: FlushOutcome | undefined) => void) | undefined;
  private reject: ((error: unknown) => void) | undefined;
  private cancel: (() => void) | undefined;

  constructor(
    private readonly owner: FlightOwner,
    readonly op: Op,
    readonly reason: FlushReason,
    readonly started: number,
    readonly budget: number,
    /** False when the caller ignores the outcome: it is then built only for `onFlush`. */
    readonly report: boolean,
    readonly control: Control,
    readonly state: ProcessState,
  ) {
    this.deadline = started + budget - DEADLINE_SLACK_MS;
    this.statsBefore = control.reported ?? ZERO;
    activeDeadlines.push(this.deadline);
    publishDeadline(control);
  }

  /** Counts `work` until it settles (either way). */
  track(work: Promise<unknown>): void {
    this.pending++;
    const done = (): void => this.settled();
    work.then(done, done);
  }

  /** Calls `fn` (`op` of `provider`) and records its result for `signal` unless the flush ended first. */
  flush(signal: Signal, provider: Flushable, fn: () => unknown): void {
    this[signal] = 'timeout';
    this.pending++;
    let returned: unknown;
    try {
      // An SDK TracerProvider: the same flush without the timer it arms per call (internals/).
      const direct = signal === 'traces' && this.op === 'forceFlush' ? flushSdkTracerProvider(provider, this.budget) : undefined;
      returned = direct ?? fn.call(provider);
    } catch (e) {
      returned = Promise.reject(e ?? new Error('flush threw'));
    }
    Promise.resolve(returned).then(
      () => {
        if (this[signal] === 'timeout') this[signal] = 'ok';
        this.settled();
      },
      (e: unknown) => {
        if (this[signal] === 'timeout') {
          this[signal] = 'failed';
          this.error ??= e ?? new Error('flush rejected');
        }
        this.settled();
      },
    );
  }

  /**
   * The outcome, once everything settled or when the budget passed first (`timedOut`).
   * Nothing pending: now.
   */
  outcome(): Promise<FlushOutcome | undefined> {
    if (this.pending === 0) {
      try {
        return Promise.resolve(this.complete(false));
      } catch (e) {
        return Promise.reject(e as Error);
      }
    }
    return new Promise<FlushOutcome | undefined>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      this.cancel = schedule(this.budget, () => this.end(true), this.started); // the budget counts from the flush's start
    });
  }

  private settled(): void {
    if (--this.pending === 0) this.end(false);
  }

  private end(timedOut: boolean): void {
    const resolve = this.resolve;
    if (resolve === undefined) return;
    this.resolve = undefined;
    this.cancel?.();
    try {
      resolve(this.complete(timedOut));
    } catch (e) {
      this.reject?.(e); // as a throw in a `then` callback would
    }
  }

  private complete(timedOut: boolean): FlushOutcome | undefined {
    removeDeadline(this.deadline);
    publishDeadline(this.control);
    return this.owner.complete(this, timedOut);
  }
}
