// `after-response`: the flush starts when the invocation span ends, the result goes back to
// the runtime at once, and the extension keeps the invoke open (billed, not seen by the caller)
// until the flush settled. Without a holding extension it flushes before the response.
import { flushAround, NO_LINKS, observeEnd, type StrategyLinks } from './gate.js';
import type { FlushStrategy, InvokeEnd } from './types.js';

/** Flush after the response through the extension; before it when the extension is not holding invokes. */
export class AfterResponseStrategy implements FlushStrategy {
  readonly mode = 'after-response' as const;

  constructor(private readonly links: StrategyLinks = NO_LINKS) {}

  onInvokeEnd(end: InvokeEnd): Promise<void> {
    observeEnd(this.links, end);
    return flushAround(end, 'invoke', this.links.gate);
  }

  onDeadline(requestId: string): void {
    this.links.onDeadline?.(requestId);
  }
}
