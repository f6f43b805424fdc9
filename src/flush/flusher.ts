// Bounded, concurrent forceFlush of the tracer, meter and logger providers. Never throws,
// never takes longer than the budget (plus a timer tick), reports every outcome.
// This runs at every invoke: one promise per provider flushed and one for the bounded wait,
// no per-signal closures over records, no allocation for counters that did not move.
import { schedule } from '../alarm.js';
import { debug, warn } from '../diag.js';
import { registeredDiagLogger } from '../internals/otel-api.js';
import { flushSdkTracerProvider } from '../internals/sdk-trace.js';
import { exportMetricsWhenNeeded } from '../providers/export-metrics.js';
import { drainables } from '../providers/reliable/exporter.js';
import { exportControl, snapshotStats, type ExportControl, type SignalExportStats } from '../providers/reliable/stats.js';
import { processState, type ProcessState } from '../state.js';
import { nothingToFlush } from './idle.js';
import type { Flushable, FlushTargets } from './targets.js';
import type { ExportItemCounts, Flusher, FlushOutcome, FlushReason, Signal, SignalFlushStatus } from './types.js';

/** Time the reliable exporters leave to the flusher's own timer, in ms. */
const DEADLINE_SLACK_MS = 3;
const NONE: SignalExportStats = { exported: 0, retried: 0, kept: 0, dropped: 0, spilled: 0, failedAttempts: 0 };
const ZERO: Record<Signal, SignalExportStats> = { traces: NONE, metrics: NONE, logs: NONE };
const NO_TARGETS: FlushTargets = {};

type Op = 'forceFlush' | 'shutdown';
type Control = ExportControl & { reported?: Record<Signal, SignalExportStats> };

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

/** The debug line of an `ok` flush, built once per op and reason (formatting costs more than a no-op flush). */
const okMessages = new Map<string, string>();
function okMessage(op: Op, reason: FlushReason): string {
  const key = op === 'forceFlush' ? reason : `shutdown:${reason}`;
  let m = okMessages.get(key);
  if (m === undefined) okMessages.set(key, (m = `${op} (${reason}) ok; ms:`));
  return m;
}

/**
 * One flush in progress: what it flushes and since when, per-signal statuses (settled by the
 * providers until the flush ends), the first error, and the wait for the providers bounded by
 * the budget. One object per flush, rather than a closure over all of it.
 */
class Flight {
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
  private resolve: ((outcome: FlushOutcome) => void) | undefined;
  private reject: ((error: unknown) => void) | undefined;
  private cancel: (() => void) | undefined;

  constructor(
    private readonly flusher: ProviderFlusher,
    readonly op: Op,
    readonly reason: FlushReason,
    readonly started: number,
    readonly budget: number,
    readonly control: Control,
    readonly state: ProcessState,
  ) {
    this.deadline = started + budget - DEADLINE_SLACK_MS;
    this.statsBefore = control.reported ?? ZERO;
  }

  /** Counts `work` until it settles (either way). */
  track(work: Promise<unknown>): void {
    this.pending++;
    const done = (): void => this.settled();
    work.then(done, done);
  }

  /** Calls `op` on `provider` and records its result for `signal` unless the flush ended first. */
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
  outcome(): Promise<FlushOutcome> {
    if (this.pending === 0) {
      try {
        return Promise.resolve(this.complete(false));
      } catch (e) {
        return Promise.reject(e as Error);
      }
    }
    return new Promise<FlushOutcome>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      this.cancel = schedule(this.budget, () => this.end(true));
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

  private complete(timedOut: boolean): FlushOutcome {
    removeDeadline(this.deadline);
    publishDeadline(this.control);
    return this.flusher.complete(this, timedOut);
  }
}

/** Flushes (or shuts down) whatever providers `targets()` returns at the time of the call. */
export class ProviderFlusher implements Flusher {
  constructor(
    private readonly targets: () => FlushTargets,
    private readonly onFlush?: (outcome: FlushOutcome) => void,
  ) {}

  flush(budgetMs: number, reason: FlushReason): Promise<FlushOutcome> {
    return this.run('forceFlush', budgetMs, reason);
  }

  /** Shuts the providers down (which flushes them) within the budget. */
  shutdown(budgetMs: number): Promise<FlushOutcome> {
    return this.run('shutdown', budgetMs, 'shutdown');
  }

  private run(op: Op, budgetMs: number, reason: FlushReason): Promise<FlushOutcome> {
    const started = performance.now();
    const budget = Math.max(0, Number.isFinite(budgetMs) ? budgetMs : 0);
    const state = processState();
    // Counted since the end of the previous flush: queue overflows happen during the invoke.
    const control = exportControl() as Control;
    const flight = new Flight(this, op, reason, started, budget, control, state);
    let targets = NO_TARGETS;
    try {
      targets = this.targets();
    } catch (e) {
      flight.error = e;
    }
    activeDeadlines.push(flight.deadline);
    publishDeadline(control);
    if (reason === 'shutdown') control.finalFlush = true;
    // Batches kept by earlier flushes go out first (the exporters send their oldest first).
    const kept = drainables();
    if (kept.size > 0) for (const d of kept) if (d.kept() > 0) flight.track(d.drain());
    startSignal(flight, 'traces', targets.traces, op, state);
    startSignal(flight, 'metrics', targets.metrics, op, state);
    startSignal(flight, 'logs', targets.logs, op, state);
    return flight.outcome();
  }

  /** The outcome of a flight that ended: final statuses, item counts, bookkeeping, report. */
  complete(flight: Flight, timedOut: boolean): FlushOutcome {
    const { op, reason, budget, control, state, statsBefore } = flight;
    // Freeze the statuses: a provider finishing after the budget must not change the outcome.
    const now = control.stats;
    const items: Record<Signal, ExportItemCounts> = {
      traces: delta(now.traces, statsBefore.traces),
      metrics: delta(now.metrics, statsBefore.metrics),
      logs: delta(now.logs, statsBefore.logs),
    };
    if (!sameStats(now, statsBefore)) control.reported = snapshotStats();
    const unsettled = (state.unsettled ??= { traces: false, metrics: false, logs: false });
    const final: Record<Signal, SignalFlushStatus> = {
      traces: finalStatus('traces', flight.traces, items.traces, timedOut, unsettled, flight),
      metrics: finalStatus('metrics', flight.metrics, items.metrics, timedOut, unsettled, flight),
      logs: finalStatus('logs', flight.logs, items.logs, timedOut, unsettled, flight),
    };
    const status: FlushOutcome['status'] =
      final.traces === 'timeout' || final.metrics === 'timeout' || final.logs === 'timeout' ? 'timeout'
        : final.traces === 'failed' || final.metrics === 'failed' || final.logs === 'failed' ? 'failed'
          : 'ok';
    const error = flight.error;
    const outcome: FlushOutcome = { reason, durationMs: performance.now() - flight.started, budgetMs: budget, status, signals: final, items };
    if (error !== undefined) outcome.error = error;
    exportMetricsWhenNeeded();
    // The duration goes as an argument: formatting it costs more than the rest of a no-op flush.
    if (status === 'ok') {
      // Nobody listening (no diag logger): skip even the call, which formats and spreads.
      if (registeredDiagLogger() !== undefined) debug(okMessage(op, reason), outcome.durationMs);
    } else warn(`${op} (${reason}) ${status} after ${outcome.durationMs.toFixed(1)} ms (budget ${budget} ms)`, final, error);
    if (this.onFlush) {
      try {
        this.onFlush(outcome);
      } catch {
        // a throwing callback must not break the invoke
      }
    }
    return outcome;
  }
}

/** Starts flushing one signal's provider, unless it has no such operation or provably nothing to flush. */
function startSignal(flight: Flight, signal: Signal, provider: Flushable | undefined, op: Op, state: ProcessState): void {
  const fn = provider?.[op];
  if (typeof fn !== 'function') return;
  if (op === 'forceFlush' && nothingToFlush(signal, provider as object, state)) {
    flight[signal] = 'ok';
    return;
  }
  state.health.pending[signal] = 0;
  flight.flush(signal, provider as Flushable, fn);
}

/** A signal's status once the flush ended; notes whether its provider may still hold items. */
function finalStatus(
  signal: Signal,
  status: SignalFlushStatus,
  items: ExportItemCounts,
  timedOut: boolean,
  unsettled: Record<Signal, boolean>,
  flight: Flight,
): SignalFlushStatus {
  let s = status;
  if (s === 'timeout' && !timedOut) s = 'failed';
  // Anything dropped, or still kept for a later flush, is not a delivered flush.
  if ((s === 'ok' || s === 'skipped') && (items.dropped > 0 || items.kept > 0)) {
    s = 'failed';
    flight.error ??= exportControl().lastError ?? new Error(`${signal}: ${items.dropped} items dropped, ${items.kept} kept for a later flush`);
  }
  if (s !== 'skipped') unsettled[signal] = s !== 'ok';
  return s;
}

/** What the reliable exporters did for one signal during this flush (`kept`: held at its end). */
function delta(now: SignalExportStats, before: SignalExportStats): ExportItemCounts {
  return {
    exported: now.exported - before.exported,
    retried: now.retried - before.retried,
    kept: now.kept,
    dropped: now.dropped - before.dropped,
    spilled: now.spilled - before.spilled,
  };
}

function sameSignal(a: SignalExportStats, b: SignalExportStats): boolean {
  return a.exported === b.exported && a.retried === b.retried && a.kept === b.kept && a.dropped === b.dropped && a.spilled === b.spilled && a.failedAttempts === b.failedAttempts;
}

/** True when no counter moved since the snapshot (then the snapshot is still exact). */
function sameStats(now: Record<Signal, SignalExportStats>, before: Record<Signal, SignalExportStats>): boolean {
  return sameSignal(now.traces, before.traces) && sameSignal(now.metrics, before.metrics) && sameSignal(now.logs, before.logs);
}
