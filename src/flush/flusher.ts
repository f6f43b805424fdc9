// Bounded, concurrent forceFlush of the tracer, meter and logger providers. Never throws,
// never takes longer than the budget (plus a timer tick), reports every outcome.
import { debug, warn } from '../diag.js';
import { processState } from '../state.js';
import type { FlushTargets } from './targets.js';
import type { Flusher, FlushOutcome, FlushReason, Signal, SignalFlushStatus } from './types.js';

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
    const health = processState().health;
    const failuresBefore = { ...health.failures };
    const signals: Record<Signal, SignalFlushStatus> = { traces: 'skipped', metrics: 'skipped', logs: 'skipped' };
    let error: unknown;
    let targets: FlushTargets = {};
    try {
      targets = this.targets();
    } catch (e) {
      error = e;
    }
    const tasks: Promise<void>[] = [];
    for (const signal of SIGNALS) {
      const provider = targets[signal];
      const fn = provider?.[op];
      if (typeof fn !== 'function') continue;
      signals[signal] = 'timeout';
      health.pending[signal] = 0;
      tasks.push(
        settle(() => fn.call(provider)).then((err) => {
          if (signals[signal] !== 'timeout') return;
          if (err === undefined) signals[signal] = 'ok';
          else {
            signals[signal] = 'failed';
            error ??= err;
          }
        }),
      );
    }
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    if (tasks.length > 0) {
      await Promise.race([
        Promise.all(tasks),
        new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            timedOut = true;
            resolve();
          }, budget);
          timer.unref?.();
        }),
      ]);
      clearTimeout(timer);
    }
    // Freeze the statuses: a provider finishing after the budget must not change the outcome.
    const final = { ...signals };
    if (!timedOut) for (const s of SIGNALS) if (final[s] === 'timeout') final[s] = 'failed';
    // forceFlush resolves even when the exporter failed: the counting exporters tell.
    for (const s of SIGNALS) {
      if (final[s] === 'ok' && health.failures[s] > failuresBefore[s]) {
        final[s] = 'failed';
        error ??= health.lastError[s];
      }
    }
    const values = Object.values(final);
    const status = values.includes('timeout') ? 'timeout' : values.includes('failed') ? 'failed' : 'ok';
    const outcome: FlushOutcome = {
      reason,
      durationMs: performance.now() - started,
      budgetMs: budget,
      status,
      signals: final,
      ...(error !== undefined ? { error } : {}),
    };
    if (status === 'ok') debug(`${op} (${reason}) ok in ${outcome.durationMs.toFixed(1)} ms`);
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

/** Runs `fn`, resolving to `undefined` on success and to the error otherwise. Never rejects. */
function settle(fn: () => unknown): Promise<unknown> {
  try {
    return Promise.resolve(fn()).then(
      () => undefined,
      (e: unknown) => e ?? new Error('flush rejected'),
    );
  } catch (e) {
    return Promise.resolve(e ?? new Error('flush threw'));
  }
}
