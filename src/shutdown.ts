// SIGTERM: Lambda sends it (when an extension is registered) and SIGKILLs ~500 ms later.
// Final flush and provider shutdown of every wrapper built in this process, within the budget;
// other SIGTERM listeners keep their say; when we are the only listener, the signal is re-raised
// with Node's default action afterwards (a signal kills at once, while process.exit() would wait
// for the runtime's pending /next). Nothing here keeps the process alive.
import { warn } from './diag.js';
import type { FlushOutcome } from './outcome.js';
import { processState, type FlushTarget } from './state.js';

/**
 * Registers work to await before the final flush (e.g. the extension waiting for the last
 * platform report). It gets a budget in ms; it is bounded by it regardless.
 */
export function addShutdownHook(hook: (budgetMs: number) => Promise<void> | void): void {
  processState().shutdownHooks.push(hook);
}

/** Share of the shutdown budget the worker threads get (Managed Instances); the main thread's own flush follows. */
const THREAD_SHARE = 0.6;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, Math.max(0, ms));
    t.unref?.();
  });
}

/** One target per distinct set of providers: two wrappers over the global providers flush them once. */
export function distinctTargets(targets: Iterable<FlushTarget>): FlushTarget[] {
  const out: FlushTarget[] = [];
  const seen: unknown[][] = [];
  for (const t of targets) {
    let providers: readonly unknown[];
    try {
      providers = t.providers();
    } catch {
      providers = [t];
    }
    if (seen.some((p) => p.length === providers.length && p.every((x, i) => x === providers[i]))) continue;
    seen.push([...providers]);
    out.push(t);
  }
  return out;
}

/** Merges per-target outcomes: the worst status wins; the first one carries the rest. */
function worst(outcomes: FlushOutcome[]): FlushOutcome | undefined {
  const rank = { ok: 0, failed: 1, timeout: 2 } as const;
  let result: FlushOutcome | undefined;
  for (const o of outcomes) if (!result || rank[o.status] > rank[result.status]) result = o;
  return result;
}

/** Flushes every distinct target concurrently within `budgetMs`. Never rejects. */
export async function flushAll(targets: FlushTarget[], budgetMs: number, op: 'flush' | 'shutdown', reason: 'shutdown' | 'invoke' | 'periodic' | 'deadline' = 'shutdown'): Promise<FlushOutcome | undefined> {
  const results = await Promise.all(
    targets.map((t) => (op === 'flush' ? t.flush(budgetMs, reason) : t.shutdown(budgetMs)).catch((e: unknown) => {
      warn(`${op} at shutdown failed`, e);
      return undefined;
    })),
  );
  return worst(results.filter((r): r is FlushOutcome => r !== undefined));
}

/**
 * Runs the shutdown once per process: ends open invocation spans, awaits the shutdown hooks
 * (at most a third of the budget) and, on the main thread of Lambda Managed Instances, the
 * worker threads' own shutdown (at most 60%), flushes, then shuts the providers down, all within
 * `budgetMs` (default: the smallest `shutdownTimeoutMs` of the wrappers). Never rejects;
 * resolves `undefined` when no wrapper was built.
 */
export function runShutdown(budgetMs?: number): Promise<FlushOutcome | undefined> {
  const state = processState();
  state.shutdown ??= (async () => {
    const all = [...state.targets];
    if (all.length === 0) return undefined;
    const budget = budgetMs ?? Math.min(...all.map((t) => t.shutdownTimeoutMs));
    const deadline = performance.now() + budget;
    const left = () => Math.max(0, deadline - performance.now());
    for (const t of all) {
      try {
        t.endOpenInvocations('Runtime shutting down (SIGTERM) during the invocation');
      } catch (e) {
        warn('ending open invocations at shutdown failed', e);
      }
    }
    // Managed Instances main thread: the worker threads flush their own providers meanwhile.
    const threadBudget = Math.floor(budget * THREAD_SHARE);
    const threads = state.threadShutdown ? Promise.race([state.threadShutdown(threadBudget).catch(() => undefined), sleep(threadBudget)]) : undefined;
    if (state.shutdownHooks.length > 0) {
      const hookBudget = Math.floor(budget / 3);
      await Promise.race([Promise.allSettled(state.shutdownHooks.map((h) => Promise.resolve().then(() => h(hookBudget)))), sleep(hookBudget)]);
    }
    await threads;
    const targets = distinctTargets(all);
    const flushed = await flushAll(targets, Math.floor(left() * 0.75), 'flush');
    await flushAll(targets, Math.floor(left()), 'shutdown');
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

/**
 * Flushes the providers of every wrapper built in this process now (each distinct set once),
 * bounded by `budgetMs` (default: the smallest flush timeout of the wrappers). Never throws;
 * resolves `undefined` when no wrapper exists.
 *
 * @example
 * ```ts
 * import { flushNow } from 'otel-lambda-flush';
 * // at the end of a long-running background task inside an invoke
 * await flushNow('periodic', 200);
 * ```
 */
export async function flushNow(reason: 'invoke' | 'periodic' | 'deadline' | 'shutdown', budgetMs?: number): Promise<FlushOutcome | undefined> {
  const all = [...processState().targets];
  if (all.length === 0) return undefined;
  return flushAll(distinctTargets(all), budgetMs ?? Math.min(...all.map((t) => t.flushTimeoutMs)), 'flush', reason);
}
