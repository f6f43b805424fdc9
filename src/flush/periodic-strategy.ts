// `periodic` and `adaptive`: flush only when due (see modes.ts); the telemetry of the other
// invokes stays in memory across freezes until the next due flush or SIGTERM.
import { flushAround, NO_LINKS, observeEnd, releaseAfterResponse, type StrategyLinks } from './gate.js';
import { AdaptiveRule, periodicFlushDue, type AdaptiveSettings, type PeriodicSettings } from './modes.js';
import type { FlushReason, FlushStrategy, InvokeEnd } from './types.js';

/** Construction parameters of {@link PeriodicStrategy}. */
export interface PeriodicStrategyConfig {
  mode: 'periodic' | 'adaptive';
  periodic: PeriodicSettings;
  adaptive: AdaptiveSettings;
  /** Items ended since the last flush (0 when unknown: then only time and deadline count). */
  pending: () => number;
  /** The extension's gate and bookkeeping; without a holding gate, due flushes run before the response. */
  links?: StrategyLinks;
  now?: () => number;
}

/** What the last invoke decided, for diagnostics and tests. */
export interface PeriodicDecision {
  requestId: string;
  flushed: boolean;
  why: 'per-invoke' | 'first' | 'interval' | 'pending' | 'deadline' | 'held';
}

/**
 * Flushes when {@link periodicFlushDue} says so (`periodic`), or every invoke until
 * {@link AdaptiveRule} sees steady high-rate traffic (`adaptive`). Whatever it decides, the
 * extension's gate is released for every invoke.
 */
export class PeriodicStrategy implements FlushStrategy {
  readonly mode: 'periodic' | 'adaptive';
  /** The adaptive rule (adaptive mode only). */
  readonly rule: AdaptiveRule | undefined;
  private lastFlushAt: number | undefined;
  /** The last decision. */
  last: PeriodicDecision | undefined;

  constructor(private readonly config: PeriodicStrategyConfig) {
    this.mode = config.mode;
    this.rule = config.mode === 'adaptive' ? new AdaptiveRule(config.adaptive) : undefined;
  }

  onInvokeEnd(end: InvokeEnd): Promise<void> {
    const { config } = this;
    const links = config.links ?? NO_LINKS;
    observeEnd(links, end);
    const now = (config.now ?? Date.now)();
    let why: PeriodicDecision['why'] = 'held';
    let reason: FlushReason | undefined;
    // Deadlines are arrival + the (constant) function timeout: their gaps are arrival gaps.
    const arrival = Number.isFinite(end.deadlineMs) ? end.deadlineMs : now;
    if (this.rule && this.rule.arrive(arrival) === 'per-invoke') {
      why = 'per-invoke';
      reason = 'invoke';
    } else {
      let pending = 0;
      try {
        pending = config.pending();
      } catch {
        // unknown
      }
      const due = periodicFlushDue({ now, lastFlushAt: this.lastFlushAt, pending, deadlineMs: end.deadlineMs }, config.periodic);
      if (due) {
        why = due;
        reason = due === 'deadline' ? 'invoke' : 'periodic';
      }
    }
    this.last = { requestId: end.requestId, flushed: reason !== undefined, why };
    if (reason === undefined) {
      releaseAfterResponse(end.requestId, links.gate);
      return Promise.resolve();
    }
    this.lastFlushAt = now;
    return flushAround(end, reason, links.gate);
  }

  onDeadline(requestId: string): void {
    this.config.links?.onDeadline?.(requestId);
  }
}
