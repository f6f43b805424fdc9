// The one read of @opentelemetry/sdk-trace internals, pinned by
// test/unit/internals/sdk-trace.test.ts for the supported version (2.x).
//
// The SDK TracerProvider's forceFlush arms a timer per span processor at every call (its own
// timeout, 30 s by default) and wraps each processor's flush in two more promises: at one flush
// per invoke that is about a sixth of a no-op invoke's trace flush. The flusher bounds every
// flush by a budget of its own, so where that timer cannot fire first (the budget is shorter)
// it calls the processors itself, exactly as forceFlush would, without the timer.

interface SpanProcessorLike {
  forceFlush(): unknown;
}

interface TracerProviderInternals {
  forceFlush?: unknown;
  _forceFlushTimeoutMillis?: unknown;
  _activeSpanProcessor?: { _spanProcessors?: unknown };
}

/** Text only the SDK's TracerProvider.forceFlush has (its timeout message), minifiers keep it. */
const SDK_FORCE_FLUSH_MARKS = ['did not completed within timeout period', '_spanProcessors'];
const verdicts = new WeakMap<object, boolean>();

/** Whether `fn` is the SDK's own forceFlush (not a subclass override, not another provider's). */
function isSdkForceFlush(fn: object): boolean {
  let verdict = verdicts.get(fn);
  if (verdict === undefined) {
    let source = '';
    try {
      source = Function.prototype.toString.call(fn);
    } catch {
      // a proxy or a native function: not the SDK's
    }
    verdict = SDK_FORCE_FLUSH_MARKS.every((m) => source.includes(m));
    verdicts.set(fn, verdict);
  }
  return verdict;
}

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function';

/** The SDK's "this processor resolved" marker (ForceFlushState.resolved). */
const RESOLVED_STATE = 0;
const IGNORE = (): void => {};

/**
 * `provider.forceFlush()` of an SDK TracerProvider (sdk-trace 2.x), minus its per-processor
 * timers, when `budgetMs` is below that provider's own flush timeout: every span processor's
 * forceFlush is called in order; the promise resolves when all resolved and rejects with the
 * list of their errors otherwise (with the first synchronous throw at once), as the SDK's does.
 * Undefined for any other provider, shape or budget: then call its forceFlush.
 */
export function flushSdkTracerProvider(provider: object, budgetMs: number): Promise<void> | undefined {
  const p = provider as TracerProviderInternals;
  const fn = p.forceFlush;
  if (typeof fn !== 'function' || !isSdkForceFlush(fn)) return undefined;
  const timeoutMs = p._forceFlushTimeoutMillis;
  const processors = p._activeSpanProcessor?._spanProcessors;
  if (typeof timeoutMs !== 'number' || !(budgetMs < timeoutMs) || !Array.isArray(processors)) return undefined;
  if (processors.length === 1) return flushOne(processors[0] as SpanProcessorLike);
  return flushAll(processors as SpanProcessorLike[]);
}

function flushOne(processor: SpanProcessorLike): Promise<void> {
  let returned: unknown;
  try {
    returned = processor.forceFlush();
  } catch (e) {
    return Promise.reject([e]);
  }
  if (!isThenable(returned)) return Promise.reject([new TypeError('span processor forceFlush() did not return a promise')]);
  return Promise.resolve(returned).then(IGNORE, (e: unknown) => {
    if (e !== RESOLVED_STATE) throw [e];
  });
}

function flushAll(processors: readonly SpanProcessorLike[]): Promise<void> {
  const results: unknown[] = new Array(processors.length).fill(RESOLVED_STATE);
  const settling: Promise<void>[] = [];
  let thrown: unknown[] | undefined;
  for (let i = 0; i < processors.length; i++) {
    let returned: unknown;
    try {
      returned = processors[i]!.forceFlush();
    } catch (e) {
      thrown ??= [e];
      continue;
    }
    if (!isThenable(returned)) {
      thrown ??= [new TypeError('span processor forceFlush() did not return a promise')];
      continue;
    }
    settling.push(Promise.resolve(returned).then(IGNORE, (e: unknown) => void (results[i] = e)));
  }
  if (thrown !== undefined) return Promise.reject(thrown);
  return Promise.all(settling).then(() => {
    const errors = results.filter((r) => r !== RESOLVED_STATE);
    if (errors.length > 0) throw errors;
  });
}
