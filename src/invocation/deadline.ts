/**
 * Calls `onDeadline` `marginMs` before `deadlineMs` unless cancelled first. The timer is
 * unref'd so it never keeps the process alive. Returns the cancel function.
 */
export function armDeadlineGuard(deadlineMs: number | undefined, marginMs: number, onDeadline: () => void, now = Date.now()): () => void {
  if (marginMs <= 0 || deadlineMs === undefined || !Number.isFinite(deadlineMs)) return () => {};
  const delay = Math.max(0, deadlineMs - marginMs - now);
  const timer = setTimeout(onDeadline, delay);
  timer.unref?.();
  return () => clearTimeout(timer);
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
