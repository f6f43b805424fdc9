// Holds an INVOKE open until the main thread says its flush settled — bounded by the deadline.

/** Request ids remembered as done before their INVOKE event arrived. */
const RECENT_DONE = 64;

/**
 * Pairs INVOKE events with the main thread's `done(requestId)`. `done` may arrive before the
 * INVOKE event (a fast handler on the main thread can finish before the worker's `/event/next`
 * reply is even read), so early ids are remembered in a small bounded set.
 */
export class InvokeGate {
  private readonly early: string[] = [];
  private waiting: { requestId: string; release: () => void } | undefined;
  /** Waits that ended by the deadline bound rather than by `done`. */
  timeouts = 0;
  /** False once the main thread stopped using the extension: never hold an invoke. */
  enabled = true;
  /**
   * True once a wrapper links to the extension (its strategy releases each invoke). Until then
   * an INVOKE is released at once: a registration made before any wrapper existed (the main
   * thread's, at `await setupTelemetry()`) must not hold invokes nobody will release.
   */
  holding = false;

  /** The main thread finished with `requestId`. */
  done(requestId: string): void {
    if (this.waiting?.requestId === requestId) {
      this.waiting.release();
      return;
    }
    this.early.push(requestId);
    if (this.early.length > RECENT_DONE) this.early.shift();
  }

  /** Releases whatever is waiting (main thread gave up on the extension). */
  disable(): void {
    this.enabled = false;
    this.waiting?.release();
  }

  /**
   * Resolves when `done(requestId)` was (or is) seen, or after `maxWaitMs`, whichever first.
   * Resolves `true` when released by `done` (or by `disable`), `false` on the time bound.
   */
  wait(requestId: string, maxWaitMs: number): Promise<boolean> {
    const i = this.early.indexOf(requestId);
    if (i >= 0) {
      this.early.splice(i, 1);
      return Promise.resolve(true);
    }
    if (!this.enabled || !this.holding || maxWaitMs <= 0) return Promise.resolve(false);
    // Only one invoke is in flight per environment; a stale waiter is released first.
    this.waiting?.release();
    return new Promise((resolve) => {
      let settled = false;
      const finish = (byDone: boolean): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (this.waiting?.requestId === requestId) this.waiting = undefined;
        if (!byDone) this.timeouts++;
        resolve(byDone);
      };
      const timer = setTimeout(() => finish(false), maxWaitMs);
      this.waiting = { requestId, release: () => finish(true) };
    });
  }
}
