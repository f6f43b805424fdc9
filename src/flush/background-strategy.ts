// `background`: never flush on the invoke path. For environments that are never frozen (Lambda
// Managed Instances), where nothing is gained by holding a response for a flush: the
// providers' own timers export (BatchSpanProcessor, metric reader), and a periodic flush every
// `intervalMs` (or as soon as more than `maxPending` items are pending) bounds how long anything
// waits. At most one flush runs at a time; memory stays bounded by the processors' queues, whose
// overflows the export layer counts.
import { NO_LINKS, observeEnd, releaseAfterResponse, type StrategyLinks } from './gate.js';
import type { FlushReason, FlushStrategy, InvokeEnd } from './types.js';

/** Construction parameters of {@link BackgroundStrategy}. */
export interface BackgroundStrategyConfig {
  /** Longest time between two background flushes, in ms. */
  intervalMs: number;
  /** Flush at an invoke end as soon as more items than this are pending. */
  maxPending: number;
  /** Items ended since the last flush (0 when unknown). */
  pending: () => number;
  /** The bounded flush of every provider. Never rejects. */
  flush: (reason: FlushReason) => Promise<unknown>;
  links?: StrategyLinks;
}

/** Flushes in the background only, never before or after a response. */
export class BackgroundStrategy implements FlushStrategy {
  readonly mode = 'background' as const;
  private inFlight: Promise<unknown> | undefined;
  private readonly timer: ReturnType<typeof setInterval>;
  /** Background flushes started (tests, diagnostics). */
  flushes = 0;

  constructor(private readonly config: BackgroundStrategyConfig) {
    // Unref'd: never keeps a process alive; an idle interval costs a no-op flush.
    this.timer = setInterval(() => this.kick('periodic'), Math.max(1, config.intervalMs));
    this.timer.unref?.();
  }

  onInvokeEnd(end: InvokeEnd): Promise<void> {
    const links = this.config.links ?? NO_LINKS;
    observeEnd(links, end);
    let pending = 0;
    try {
      pending = this.config.pending();
    } catch {
      // unknown: the interval still bounds the wait
    }
    if (pending > this.config.maxPending) this.kick('periodic');
    releaseAfterResponse(end.requestId, links.gate);
    return Promise.resolve();
  }

  onDeadline(requestId: string): void {
    this.config.links?.onDeadline?.(requestId);
  }

  /** Starts a flush unless one is running. */
  private kick(reason: FlushReason): void {
    if (this.inFlight) return;
    this.flushes++;
    let p: Promise<unknown>;
    try {
      p = this.config.flush(reason);
    } catch {
      p = Promise.resolve();
    }
    this.inFlight = p.catch(() => undefined).finally(() => {
      this.inFlight = undefined;
    });
  }

  /** Stops the timer (tests). */
  stop(): void {
    clearInterval(this.timer);
  }
}
