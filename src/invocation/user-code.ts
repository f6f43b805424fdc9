// Calls into user-supplied callbacks (hooks, onFlush, extractor, recordContext): whatever they
// do — throw, reject, return junk — the handler's result never changes and nothing goes
// unhandled. Each failure is warned once per callback name.
import { warnOnce } from '../config/warnings.js';

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** Warns once that the user callback `name` failed. */
export function userCodeFailed(name: string, e: unknown): void {
  warnOnce(`user-code:${name}`, `${name} failed (${describe(e).slice(0, 200)}); ignored — telemetry never changes the handler's result`);
}

/**
 * Calls `fn(...args)`, containing a synchronous throw and a rejected promise alike. The returned
 * promise (if any) is not awaited: a hook must not delay the invoke.
 */
export function callUserCode<A extends unknown[]>(name: string, fn: ((...args: A) => unknown) | undefined, ...args: A): void {
  if (fn === undefined) return;
  let returned: unknown;
  try {
    returned = fn(...args);
  } catch (e) {
    userCodeFailed(name, e);
    return;
  }
  if (returned !== null && typeof returned === 'object' && typeof (returned as { then?: unknown }).then === 'function') {
    try {
      (returned as PromiseLike<unknown>).then(undefined, (e: unknown) => userCodeFailed(name, e));
    } catch (e) {
      userCodeFailed(name, e);
    }
  }
}

/**
 * For a user callback that returned a promise where a plain value was due: silences its
 * rejection (it must never go unhandled) and says so. False for anything else.
 */
export function swallowThenable(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || typeof (v as { then?: unknown }).then !== 'function') return false;
  try {
    (v as PromiseLike<unknown>).then(undefined, () => undefined);
  } catch {
    // a broken thenable: nothing to silence
  }
  return true;
}

/** Whether `v` looks like a SpanContext (what `recordContext` must return). */
function isSpanContext(v: unknown): boolean {
  const s = v as { traceId?: unknown; spanId?: unknown } | null;
  return typeof s === 'object' && s !== null && typeof s.traceId === 'string' && typeof s.spanId === 'string';
}

/**
 * The user's `recordContext`, contained: a throw, a promise or anything but a SpanContext or
 * `undefined` counts as "no context" (one warning), so the built-in rules and the invoke go on.
 */
export function containRecordContext<F extends (record: unknown, source: string) => unknown>(fn: F | undefined): F | undefined {
  if (fn === undefined) return undefined;
  return ((record: unknown, source: string) => {
    let v: unknown;
    try {
      v = fn(record, source);
    } catch (e) {
      userCodeFailed('recordContext', e);
      return undefined;
    }
    if (v === undefined || v === null || isSpanContext(v)) return v ?? undefined;
    const why = swallowThenable(v) ? 'returned a promise (recordContext must be synchronous)' : `returned ${typeof v}, not a SpanContext`;
    userCodeFailed('recordContext', new TypeError(why));
    return undefined;
  }) as F;
}
