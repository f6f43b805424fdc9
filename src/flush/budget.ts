/**
 * The time a flush may take: `min(flushTimeoutMs, deadlineMs - now - marginMs)`, never
 * negative. Without a known deadline the flush timeout alone bounds it.
 */
export function flushBudget(flushTimeoutMs: number, deadlineMs: number | undefined, marginMs: number, now = Date.now()): number {
  if (deadlineMs === undefined || !Number.isFinite(deadlineMs)) return Math.max(0, flushTimeoutMs);
  return Math.max(0, Math.min(flushTimeoutMs, Math.floor(deadlineMs - now - marginMs)));
}
