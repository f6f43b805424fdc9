// Circuit breaker: after `threshold` consecutive failed attempts the collector is presumed
// down; exports stop waiting for it (data is kept) until a probe, after a cooldown that
// doubles per failed probe up to `maxCooldownMs`. Wall-clock time, so a freeze counts.

export interface BreakerOptions {
  threshold: number;
  cooldownMs: number;
  maxCooldownMs: number;
}

export class Breaker {
  private consecutive = 0;
  private openUntil = 0;
  private cooldown: number;

  constructor(private readonly options: BreakerOptions, private readonly now: () => number = Date.now) {
    this.cooldown = options.cooldownMs;
  }

  /** Open: the collector is presumed down. */
  get open(): boolean {
    return this.consecutive >= this.options.threshold;
  }

  /** May an attempt be made now? When open, only a probe after the cooldown. */
  allow(): boolean {
    return !this.open || this.now() >= this.openUntil;
  }

  success(): void {
    this.consecutive = 0;
    this.cooldown = this.options.cooldownMs;
    this.openUntil = 0;
  }

  failure(): void {
    this.consecutive++;
    if (this.open) {
      this.openUntil = this.now() + this.cooldown;
      this.cooldown = Math.min(this.cooldown * 2, this.options.maxCooldownMs);
    }
  }

  /** The server asked for a pause (Retry-After): no attempt before then. */
  pause(ms: number): void {
    this.openUntil = Math.max(this.openUntil, this.now() + ms);
    this.consecutive = Math.max(this.consecutive, this.options.threshold);
  }
}
