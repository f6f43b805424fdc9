// Which platform.report events arrived, for the SIGTERM path that waits (bounded) for the
// reports of the invokes that ended before the final flush (on Managed Instances, a whole round
// of concurrent ones). Remembers a bounded number of request ids.

/** Request ids whose platform.report was seen, so an invoke marked ended after it is not waited for. */
const REPORTS_MAX = 512;
/** Invokes ended whose report has not come yet (Managed Instances: up to a round of them). */
const PENDING_MAX = 512;

export class ReportWaits {
  private readonly seen = new Set<string>();
  private readonly pending = new Set<string>();
  private readonly drained = new Set<() => void>();

  /** An invoke this process handled ended: its report is expected (bounded, oldest forgotten). */
  ended(requestId: string): void {
    if (this.seen.has(requestId)) return;
    this.pending.add(requestId);
    if (this.pending.size > PENDING_MAX) this.pending.delete(this.pending.values().next().value as string);
  }

  /** A platform.report for `requestId` arrived. */
  arrived(requestId: string): void {
    this.seen.add(requestId);
    if (this.seen.size > REPORTS_MAX) this.seen.delete(this.seen.values().next().value as string);
    if (this.pending.delete(requestId) && this.pending.size === 0) for (const d of [...this.drained]) d();
  }

  /** Resolves true once every ended invoke's report arrived, false after `timeoutMs`. */
  waitAll(timeoutMs: number): Promise<boolean> {
    if (this.pending.size === 0) return Promise.resolve(true);
    if (timeoutMs <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (ok: boolean): void => {
        clearTimeout(timer);
        this.drained.delete(release);
        resolve(ok);
      };
      const release = (): void => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.drained.add(release);
    });
  }


}
