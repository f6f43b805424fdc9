// SIGTERM: Lambda sends it (when an extension is registered) and SIGKILLs ~500 ms later.
// Final flush and provider shutdown within the budget; other SIGTERM listeners keep their
// say; when we are the only listener, the signal is re-raised with Node's default action
// afterwards (a signal kills at once, while process.exit() would wait for the runtime's
// pending /next). Nothing here keeps the process alive.
import { warn } from '../diag.js';
import type { FlushOutcome } from '../flush/types.js';
import { processState } from '../state.js';

/**
 * Registers work to await before the final flush (e.g. the extension waiting for the last
 * platform report). It gets a budget in ms; it is bounded by it regardless.
 */
export function addShutdownHook(hook: (budgetMs: number) => Promise<void> | void): void {
  processState().shutdownHooks.push(hook);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, Math.max(0, ms));
    t.unref?.();
  });
}

/**
 * Runs the shutdown once per process: ends open invocation spans, awaits the shutdown hooks
 * (at most a third of the budget), flushes, then shuts the providers down, all within
 * `budgetMs` (default: the wrapper's `shutdownTimeoutMs`). Never rejects.
 */
export function runShutdown(budgetMs?: number): Promise<FlushOutcome | undefined> {
  const state = processState();
  state.shutdown ??= (async () => {
    const target = state.target;
    if (!target) return undefined;
    const budget = budgetMs ?? target.shutdownTimeoutMs;
    const deadline = performance.now() + budget;
    const left = () => Math.max(0, deadline - performance.now());
    try {
      target.endOpenInvocations('Runtime shutting down (SIGTERM) during the invocation');
    } catch (e) {
      warn('ending open invocations at shutdown failed', e);
    }
    if (state.shutdownHooks.length > 0) {
      const hookBudget = Math.floor(budget / 3);
      await Promise.race([
        Promise.allSettled(state.shutdownHooks.map((h) => Promise.resolve().then(() => h(hookBudget)))),
        sleep(hookBudget),
      ]);
    }
    const flushed = await target.flush(Math.floor(left() * 0.75), 'shutdown');
    await target.shutdown(Math.floor(left()));
    return flushed;
  })();
  return state.shutdown;
}

function onSigterm(): void {
  void runShutdown().finally(() => {
    // Re-raise only if nobody else handles SIGTERM: then Node's default (terminate) applies.
    if (process.listenerCount('SIGTERM') === 1 && process.listeners('SIGTERM')[0] === onSigterm) {
      process.removeListener('SIGTERM', onSigterm);
      process.kill(process.pid, 'SIGTERM');
    }
  });
}

/** Installs the SIGTERM listener once per process. */
export function installSigtermHandler(): void {
  const state = processState();
  if (state.sigtermInstalled) return;
  state.sigtermInstalled = true;
  process.on('SIGTERM', onSigterm);
}
