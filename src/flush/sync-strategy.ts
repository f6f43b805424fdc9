// `sync`: flush before the result goes back to the runtime; the invoke waits for the collector.
// With an extension registered for INVOKE by an earlier wrapper, the invoke is released after.
import { flushAround, NO_GATE, NO_LINKS, observeEnd, type InvokeGate, type StrategyLinks } from './gate.js';
import type { FlushStrategy, InvokeEnd } from './types.js';

/** Flushes before the result goes back to the runtime. */
export class SyncStrategy implements FlushStrategy {
  readonly mode = 'sync' as const;
  private readonly release: InvokeGate;

  constructor(private readonly links: StrategyLinks = NO_LINKS) {
    const gate = links.gate;
    // Never hold the response for the flush's release: flush first, then let the invoke end.
    this.release = gate === NO_GATE ? NO_GATE : { gating: false, done: (id) => gate.done(id) };
  }

  onInvokeEnd(end: InvokeEnd): Promise<void> {
    observeEnd(this.links, end);
    return flushAround(end, 'invoke', this.release);
  }

  onDeadline(requestId: string): void {
    this.links.onDeadline?.(requestId);
  }
}
