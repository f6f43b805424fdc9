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
