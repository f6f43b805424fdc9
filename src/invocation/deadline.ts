import { schedule } from '../alarm.js';

const NOOP = (): void => {};

/**
 * Calls `onDeadline` `marginMs` before `deadlineMs` unless cancelled first. It never keeps the
 * process alive (src/alarm.ts). Returns the cancel function.
 */
export function armDeadlineGuard(deadlineMs: number | undefined, marginMs: number, onDeadline: () => void, now = Date.now()): () => void {
  if (marginMs <= 0 || deadlineMs === undefined || !Number.isFinite(deadlineMs)) return NOOP;
  return schedule(deadlineMs - marginMs - now, onDeadline);
}

/** Epoch ms of the invoke's deadline from the Lambda context, if it has a working clock. */
export function deadlineOf(ctx: { getRemainingTimeInMillis?: () => number } | undefined, now = Date.now()): number | undefined {
  try {
    const remaining = ctx?.getRemainingTimeInMillis?.();
    return typeof remaining === 'number' && Number.isFinite(remaining) ? now + remaining : undefined;
  } catch {
    return undefined;
  }
}
