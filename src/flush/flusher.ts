// Bounded, concurrent forceFlush of the tracer, meter and logger providers. Never throws,
// never takes longer than the budget (plus a timer tick), reports every outcome.
import { schedule } from '../alarm.js';
import { debug, warn } from '../diag.js';
import { exportMetricsWhenNeeded } from '../providers/export-metrics.js';
import { drainables } from '../providers/reliable/exporter.js';
import { exportControl, snapshotStats } from '../providers/reliable/stats.js';
import { processState } from '../state.js';
import { nothingToFlush } from './idle.js';
import type { FlushTargets } from './targets.js';
import type { ExportItemCounts, Flusher, FlushOutcome, FlushReason, Signal, SignalFlushStatus } from './types.js';

/** Time the reliable exporters leave to the flusher's own timer, in ms. */
const DEADLINE_SLACK_MS = 3;
const NONE = { exported: 0, retried: 0, kept: 0, dropped: 0, spilled: 0, failedAttempts: 0 };
const ZERO = { traces: NONE, metrics: NONE, logs: NONE };
/** Deadlines of the flushes running now: exports are bounded by the latest one. */
const activeDeadlines = new Set<number>();

function publishDeadline(): void {
  // A loop, not Math.max(...set): this runs twice per flush, and the spread allocates.
  let latest: number | undefined;
  for (const d of activeDeadlines) if (latest === undefined || d > latest) latest = d;
  exportControl().deadline = latest;
}

const SIGNALS: readonly Signal[] = ['traces', 'metrics', 'logs'];

type Op = 'forceFlush' | 'shutdown';

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

  private async run(op: Op, budgetMs: number, reason: FlushReason): Promise<FlushOutcome> {
    const started = performance.now();
    const budget = Math.max(0, Number.isFinite(budgetMs) ? budgetMs : 0);
    const state = processState();
    const health = state.health;
    const signals: Record<Signal, SignalFlushStatus> = { traces: 'skipped', metrics: 'skipped', logs: 'skipped' };
    let error: unknown;
    let targets: FlushTargets = {};
    try {
      targets = this.targets();
    } catch (e) {
      error = e;
    }
    // Counted since the end of the previous flush: queue overflows happen during the invoke.
    const control = exportControl() as ReturnType<typeof exportControl> & { reported?: ReturnType<typeof snapshotStats> };
    const statsBefore = control.reported ?? ZERO;
    const deadline = started + budget - DEADLINE_SLACK_MS;
    activeDeadlines.add(deadline);
    publishDeadline();
    if (reason === 'shutdown') control.finalFlush = true;
    const tasks: Promise<void>[] = [];
    // Batches kept by earlier flushes go out first (the exporters send their oldest first).
    for (const d of drainables()) if (d.kept() > 0) tasks.push(d.drain());
    for (const signal of SIGNALS) {
      const provider = targets[signal];
      const fn = provider?.[op];
      if (typeof fn !== 'function') continue;
      if (op === 'forceFlush' && nothingToFlush(signal, provider as object, state)) {
        signals[signal] = 'ok';
        continue;
      }
      signals[signal] = 'timeout';
      health.pending[signal] = 0;
      tasks.push(
        settle(fn, provider).then((err) => {
          if (signals[signal] !== 'timeout') return;
          if (err === undefined) signals[signal] = 'ok';
          else {
            signals[signal] = 'failed';
            error ??= err;
          }
        }),
      );
    }
    const timedOut = tasks.length > 0 && (await within(Promise.all(tasks), budget));
    activeDeadlines.delete(deadline);
    publishDeadline();
    // Freeze the statuses: a provider finishing after the budget must not change the outcome.
    const final = { traces: signals.traces, metrics: signals.metrics, logs: signals.logs };
    const items = itemCounts(statsBefore);
    control.reported = snapshotStats();
    let status: FlushOutcome['status'] = 'ok';
    const unsettled = (state.unsettled ??= { traces: false, metrics: false, logs: false });
    for (const s of SIGNALS) {
      if (final[s] === 'timeout' && !timedOut) final[s] = 'failed';
      // Anything dropped, or still kept for a later flush, is not a delivered flush.
      if ((final[s] === 'ok' || final[s] === 'skipped') && (items[s].dropped > 0 || items[s].kept > 0)) {
        final[s] = 'failed';
        error ??= exportControl().lastError ?? new Error(`${s}: ${items[s].dropped} items dropped, ${items[s].kept} kept for a later flush`);
      }
      if (final[s] !== 'skipped') unsettled[s] = final[s] !== 'ok';
      if (final[s] === 'timeout') status = 'timeout';
      else if (final[s] === 'failed' && status === 'ok') status = 'failed';
    }
    const outcome: FlushOutcome = {
      reason,
      durationMs: performance.now() - started,
      budgetMs: budget,
      status,
      signals: final,
      items,
      ...(error !== undefined ? { error } : {}),
    };
    exportMetricsWhenNeeded();
    // The duration goes as an argument: formatting it costs more than the rest of a no-op flush.
    if (status === 'ok') debug(`${op} (${reason}) ok; ms:`, outcome.durationMs);
    else warn(`${op} (${reason}) ${status} after ${outcome.durationMs.toFixed(1)} ms (budget ${budget} ms)`, final, error);
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

/** What the reliable exporters did during this flush (`kept`: held at its end). */
function itemCounts(before: ReturnType<typeof snapshotStats>): Record<Signal, ExportItemCounts> {
  const now = exportControl().stats;
  const delta = (s: Signal): ExportItemCounts => ({
    exported: now[s].exported - before[s].exported,
    retried: now[s].retried - before[s].retried,
    kept: now[s].kept,
    dropped: now[s].dropped - before[s].dropped,
    spilled: now[s].spilled - before[s].spilled,
  });
  return { traces: delta('traces'), metrics: delta('metrics'), logs: delta('logs') };
}

/** Resolves `true` when `budgetMs` passed before `work` settled, else `false` once it did. */
function within(work: Promise<unknown>, budgetMs: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const cancel = schedule(budgetMs, () => resolve(true));
    void work.then(() => {
      cancel();
      resolve(false);
    });
  });
}

/** Runs `fn`, resolving to `undefined` on success and to the error otherwise. Never rejects. */
function settle(fn: () => unknown, self: unknown): Promise<unknown> {
  try {
    return Promise.resolve(fn.call(self)).then(
      () => undefined,
      (e: unknown) => e ?? new Error('flush rejected'),
    );
  } catch (e) {
    return Promise.resolve(e ?? new Error('flush threw'));
  }
}
