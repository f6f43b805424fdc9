import type { FlushStrategy, InvokeEnd } from './types.js';

/** Flushes before the result goes back to the runtime: the invoke waits for the collector. */
export class SyncStrategy implements FlushStrategy {
  readonly mode = 'sync' as const;

  async onInvokeEnd(end: InvokeEnd): Promise<void> {
    await end.flush('invoke');
  }
}
