// Counts ended spans and log records per signal ("pending since the last flush"), so the
// flusher can skip providers that provably hold nothing (src/flush/idle.ts). Export results
// are counted by the reliable exporters (src/providers/reliable/).
import type { Signal } from '../outcome.js';
import { processState } from '../state.js';

/** A span / log processor that only counts ended items, for "pending since last flush". */
export function pendingCounter(signal: Signal) {
  const health = processState().health;
  return {
    onStart(): void {},
    onEnd(): void {
      health.pending[signal]++;
    },
    onEmit(): void {
      health.pending[signal]++;
    },
    forceFlush: (): Promise<void> => Promise.resolve(),
    shutdown: (): Promise<void> => Promise.resolve(),
  };
}
