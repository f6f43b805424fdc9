// Which platform.report events arrived, for the SIGTERM path that waits (bounded) for the last
// invoke's report before the final flush. Remembers a bounded number of request ids.

/** Request ids whose platform.report was seen, remembered for late waiters. */
const REPORTS_MAX = 32;

export class ReportWaits {
  private readonly seen: string[] = [];
  private readonly waiters = new Map<string, Set<() => void>>();

  /** A platform.report for `requestId` arrived. */
  arrived(requestId: string): void {
    this.seen.push(requestId);
    if (this.seen.length > REPORTS_MAX) this.seen.shift();
    const waiting = this.waiters.get(requestId);
    if (!waiting) return;
    this.waiters.delete(requestId);
    for (const w of waiting) w();
  }

  /** Resolves true once the report of `requestId` arrived (or had), false after `timeoutMs`. */
  wait(requestId: string, timeoutMs: number): Promise<boolean> {
    if (this.seen.includes(requestId)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiting = this.waiters.get(requestId) ?? new Set<() => void>();
      this.waiters.set(requestId, waiting);
      const release = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        waiting.delete(release);
        if (waiting.size === 0) this.waiters.delete(requestId);
        resolve(false);
      }, timeoutMs);
      waiting.add(release);
    });
  }
}
