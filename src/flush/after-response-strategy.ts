// `after-response`: the flush starts when the invocation span ends, the result goes back to
// the runtime at once, and the extension keeps the invoke open (billed, not seen by the caller)
// until the flush settled.
import type { FlushReason, FlushStrategy, InvokeEnd } from './types.js';

/** What a strategy needs from the extension: whether it holds invokes, and the release. */
export interface InvokeGateLike {
  /** True when the extension holds each invoke until {@link InvokeGateLike.done}. */
  readonly gating: boolean;
  /** The invoke's flush settled: let Lambda end the invoke. */
  done(requestId: string): void;
}

/** Called at each invoke end before anything else (the extension's bookkeeping). */
export type InvokeObserver = (end: InvokeEnd) => void;

/**
 * Runs `fn` once the runtime client has posted the response. aws-lambda-ric posts it after one
 * `setImmediate` turn following the handler's promise; this callback is queued two turns
 * later, so nothing of the flush (collecting, serialising, waking the worker) competes with the
 * response for the CPU.
 */
export function afterResponse(fn: () => void): void {
  setImmediate(() => setImmediate(fn));
}

/**
 * Runs `end.flush(reason)` after the response when the gate holds the invoke (then releases
 * it when the flush settles), else before it. Never rejects.
 */
export async function flushAround(end: InvokeEnd, reason: FlushReason, gate: InvokeGateLike | undefined): Promise<void> {
  if (gate?.gating) {
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
    return;
  }
  try {
    await end.flush(reason);
  } finally {
    gate?.done(end.requestId);
  }
}

/** Releases the invoke without a flush, once the response is out. */
export function releaseAfterResponse(requestId: string, gate: InvokeGateLike | undefined): void {
  if (gate?.gating) afterResponse(() => gate.done(requestId));
  else gate?.done(requestId);
}

/** Flush after the response through the extension; before it when the extension is not holding invokes. */
export class AfterResponseStrategy implements FlushStrategy {
  readonly mode = 'after-response' as const;

  constructor(
    private readonly gate: InvokeGateLike | undefined,
    private readonly observe?: InvokeObserver,
  ) {}

  onInvokeEnd(end: InvokeEnd): Promise<void> {
    try {
      this.observe?.(end);
    } catch {
      // bookkeeping must not block the flush
    }
    return flushAround(end, 'invoke', this.gate);
  }
}
