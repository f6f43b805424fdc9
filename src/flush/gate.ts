// What a flush strategy needs from the extension, as a contract owned by the flush side: the
// extension's link satisfies it without importing it, and NO_GATE stands in when there is no
// extension, so no strategy checks for `undefined`.
import type { FlushReason, InvokeEnd } from './types.js';

/** Whether the extension holds each invoke open, and the release. */
export interface InvokeGate {
  /** True when the extension holds each invoke until {@link InvokeGate.done}. */
  readonly gating: boolean;
  /** The invoke's flush settled (or was skipped): let Lambda end the invoke. */
  done(requestId: string): void;
}

/** No extension: nothing is held, nothing to release. */
export const NO_GATE: InvokeGate = Object.freeze({ gating: false, done: () => {} });

/** What the extension wants to know at each invoke end and at a deadline. */
export interface StrategyLinks {
  gate: InvokeGate;
  /** Called at each invoke end before anything else (the extension's bookkeeping). */
  observe?: (end: InvokeEnd) => void;
  /** The deadline guard fired for this invoke (no platform report will follow). */
  onDeadline?: (requestId: string) => void;
}

/** The links of a strategy without an extension. */
export const NO_LINKS: StrategyLinks = Object.freeze({ gate: NO_GATE });

/** Calls the extension's `observe`, which must never block the flush. */
export function observeEnd(links: StrategyLinks, end: InvokeEnd): void {
  try {
    links.observe?.(end);
  } catch {
    // bookkeeping must not block the flush
  }
}

/**
 * Runs `fn` once the runtime client has posted the response. aws-lambda-ric posts it after one
 * `setImmediate` turn following the handler's promise; this callback is queued two turns
 * later, so nothing of the flush (collecting, serialising, waking the worker) competes with the
 * response for the CPU.
 */
export function afterResponse(fn: () => void): void {
  setImmediate(() => setImmediate(fn));
}

const RESOLVED: Promise<void> = Promise.resolve();
const IGNORE = (): void => {};

/**
 * Runs `end.flush(reason)` after the response when the gate holds the invoke (then releases
 * it when the flush settles), else before it (then releases it). Never rejects. Not an async
 * function: this runs at every invoke, and a `then` costs less than an async frame.
 */
export function flushAround(end: InvokeEnd, reason: FlushReason, gate: InvokeGate): Promise<void> {
  if (gate.gating) {
    // The flush is bounded by its budget (deadline-aware); the worker's own deadline bound is
    // the backstop if it were not.
    afterResponse(() => {
      let flushing: Promise<unknown>;
      try {
        flushing = end.flush(reason);
      } catch {
        flushing = Promise.resolve();
      }
      void flushing.catch(() => undefined).finally(() => gate.done(end.requestId));
    });
    return RESOLVED;
  }
  let flushing: Promise<unknown>;
  try {
    flushing = Promise.resolve(end.flush(reason));
  } catch {
    // the flusher never throws; a custom one must not break the invoke either
    flushing = RESOLVED;
  }
  if (gate === NO_GATE) return flushing.then(IGNORE, IGNORE);
  const release = (): void => gate.done(end.requestId);
  return flushing.then(release, release);
}

/** Releases the invoke without a flush, once the response is out. */
export function releaseAfterResponse(requestId: string, gate: InvokeGate): void {
  if (gate.gating) afterResponse(() => gate.done(requestId));
  else gate.done(requestId);
}
