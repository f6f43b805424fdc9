// Bounded, concurrent forceFlush of the tracer, meter and logger providers. Never throws,
// never takes longer than the budget (plus a timer tick), reports every outcome.
// This runs at every invoke: one promise per provider flushed and one for the bounded wait
// (flight.ts), no allocation for counters that did not move, and for the per-invoke flush
// (whose caller ignores the outcome) no outcome object unless `onFlush` wants one.
import { debug, warn } from '../diag.js';
import { registeredDiagLogger } from '../internals/otel-api.js';
import { exportMetricsWhenNeeded } from '../providers/export-metrics.js';
import { drainables } from '../providers/reliable/exporter.js';
import { exportControl, snapshotStats, type SignalExportStats } from '../providers/reliable/stats.js';
import { processState, type ProcessState } from '../state.js';
import { Flight, type Control, type FlightOwner, type Op } from './flight.js';
import { nothingToFlush } from './idle.js';
import type { Flushable, FlushTargets } from './targets.js';
import type { ExportItemCounts, Flusher, FlushOutcome, FlushReason, Signal, SignalFlushStatus } from './types.js';

const NO_TARGETS: FlushTargets = {};

/** The debug line of an `ok` flush, built once per op and reason (formatting costs more than a no-op flush). */
const okMessages = new Map<string, string>();
function okMessage(op: Op, reason: FlushReason): string {
  const key = op === 'forceFlush' ? reason : `shutdown:${reason}`;
  let m = okMessages.get(key);
  if (m === undefined) okMessages.set(key, (m = `${op} (${reason}) ok; ms:`));
  return m;
}

/** Flushes (or shuts down) whatever providers `targets()` returns at the time of the call. */
export class ProviderFlusher implements Flusher, FlightOwner {
  constructor(
    private readonly targets: () => FlushTargets,
    private readonly onFlush?: (outcome: FlushOutcome) => void,
  ) {}

  flush(budgetMs: number, reason: FlushReason): Promise<FlushOutcome> {
    return this.run('forceFlush', budgetMs, reason, true) as Promise<FlushOutcome>;
  }

  /** {@link flush} for a caller that ignores the outcome (the invoke's own flush). */
  flushQuietly(budgetMs: number, reason: FlushReason): Promise<unknown> {
    return this.run('forceFlush', budgetMs, reason, false);
  }

  /** Shuts the providers down (which flushes them) within the budget. */
  shutdown(budgetMs: number): Promise<FlushOutcome> {
    return this.run('shutdown', budgetMs, 'shutdown', true) as Promise<FlushOutcome>;
  }

  private run(op: Op, budgetMs: number, reason: FlushReason, report: boolean): Promise<FlushOutcome | undefined> {
    const started = performance.now();
    const budget = Math.max(0, Number.isFinite(budgetMs) ? budgetMs : 0);
    const state = processState();
    // Counted since the end of the previous flush: queue overflows happen during the invoke.
    const control = exportControl() as Control;
    let targets = NO_TARGETS;
    let targetsError: unknown;
    try {
      targets = this.targets();
    } catch (e) {
      targetsError = e;
    }
    const flight = new Flight(this, op, reason, started, budget, report, control, state);
    if (targetsError !== undefined) flight.error = targetsError;
    if (reason === 'shutdown') control.finalFlush = true;
    // Batches kept by earlier flushes go out first (the exporters send their oldest first).
    const kept = drainables();
    if (kept.size > 0) for (const d of kept) if (d.kept() > 0) flight.track(d.drain());
    startSignal(flight, 'traces', targets.traces, op, state);
    startSignal(flight, 'metrics', targets.metrics, op, state);
    startSignal(flight, 'logs', targets.logs, op, state);
    return flight.outcome();
  }

  /** The outcome of a flight that ended: final statuses, bookkeeping, report. */
  complete(flight: Flight, timedOut: boolean): FlushOutcome | undefined {
    const { op, reason, budget, control, state, statsBefore } = flight;
    // Freeze the statuses: a provider finishing after the budget must not change the outcome.
    const now = control.stats;
    const unsettled = (state.unsettled ??= { traces: false, metrics: false, logs: false });
    const traces = finalStatus('traces', flight.traces, now.traces, statsBefore.traces, timedOut, unsettled, flight);
    const metrics = finalStatus('metrics', flight.metrics, now.metrics, statsBefore.metrics, timedOut, unsettled, flight);
    const logs = finalStatus('logs', flight.logs, now.logs, statsBefore.logs, timedOut, unsettled, flight);
    const status: FlushOutcome['status'] =
      traces === 'timeout' || metrics === 'timeout' || logs === 'timeout' ? 'timeout'
        : traces === 'failed' || metrics === 'failed' || logs === 'failed' ? 'failed'
          : 'ok';
    const durationMs = performance.now() - flight.started;
    const error = flight.error;
    const wanted = flight.report || this.onFlush !== undefined;
    const outcome: FlushOutcome | undefined = wanted
      ? {
          reason,
          durationMs,
          budgetMs: budget,
          status,
          signals: { traces, metrics, logs },
          items: { traces: delta(now.traces, statsBefore.traces), metrics: delta(now.metrics, statsBefore.metrics), logs: delta(now.logs, statsBefore.logs) },
        }
      : undefined;
    if (outcome !== undefined && error !== undefined) outcome.error = error;
    if (!sameStats(now, statsBefore)) control.reported = snapshotStats();
    exportMetricsWhenNeeded();
    // The duration goes as an argument: formatting it costs more than the rest of a no-op flush.
    if (status === 'ok') {
      // Nobody listening (no diag logger): skip even the call, which formats and spreads.
      if (registeredDiagLogger() !== undefined) debug(okMessage(op, reason), durationMs);
    } else warn(`${op} (${reason}) ${status} after ${durationMs.toFixed(1)} ms (budget ${budget} ms)`, outcome?.signals ?? { traces, metrics, logs }, error);
    if (this.onFlush && outcome !== undefined) {
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
  now: SignalExportStats,
  before: SignalExportStats,
  timedOut: boolean,
  unsettled: Record<Signal, boolean>,
  flight: Flight,
): SignalFlushStatus {
  let s = status;
  if (s === 'timeout' && !timedOut) s = 'failed';
  // Anything dropped, or still kept for a later flush, is not a delivered flush.
  const dropped = now.dropped - before.dropped;
  const kept = now.kept;
  if ((s === 'ok' || s === 'skipped') && (dropped > 0 || kept > 0)) {
    s = 'failed';
    flight.error ??= exportControl().lastError ?? new Error(`${signal}: ${dropped} items dropped, ${kept} kept for a later flush`);
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
