// The decision rules of the `periodic` and `adaptive` flush modes: pure functions and a small
// bounded window, so they can be pinned by unit tests.

/** Why a periodic flush is due, or `undefined` when it is not. */
export type PeriodicReason = 'interval' | 'pending' | 'deadline' | 'first';

/** Inputs of {@link periodicFlushDue}. */
export interface PeriodicInput {
  /** Now, epoch ms. */
  now: number;
  /** When the last flush started, epoch ms; `undefined` before the first one. */
  lastFlushAt: number | undefined;
  /** Items (spans, log records) ended since the last flush. */
  pending: number;
  /** The ending invoke's deadline, epoch ms. */
  deadlineMs: number;
}

/** Tunables of the periodic rule. */
export interface PeriodicSettings {
  /** Longest time between two flushes, in ms. */
  intervalMs: number;
  /** Flush as soon as more items than this are pending. */
  maxPending: number;
  /** An invoke that ends less than this before its deadline flushes, in ms. */
  nearDeadlineMs: number;
}

/** An invoke ending closer than this to its deadline flushes in periodic mode (ms). */
export const DEFAULT_NEAR_DEADLINE_MS = 1000;

/**
 * The `periodic` rule, evaluated when an invoke ends. A flush is due when:
 * - no flush happened yet in this process (`first`: the first invoke shows up at once),
 * - `intervalMs` or more passed since the last flush started (`interval`),
 * - more than `maxPending` spans / log records ended since then (`pending`: the
 *   BatchSpanProcessor's queue, default 2048, must hold `maxPending` plus what one invoke
 *   produces, or spans are dropped — raise `OTEL_BSP_MAX_QUEUE_SIZE` accordingly), or
 * - the invoke ended less than `nearDeadlineMs` before its deadline (`deadline`: it nearly
 *   timed out; a timeout resets the environment without SIGTERM, and what is held is lost).
 * Otherwise the telemetry stays in memory across the freeze; SIGTERM flushes it at shutdown.
 */
export function periodicFlushDue(input: PeriodicInput, settings: PeriodicSettings): PeriodicReason | undefined {
  if (input.lastFlushAt === undefined) return 'first';
  if (input.now - input.lastFlushAt >= settings.intervalMs) return 'interval';
  if (input.pending > settings.maxPending) return 'pending';
  if (input.deadlineMs - input.now < settings.nearDeadlineMs) return 'deadline';
  return undefined;
}

/** Tunables of the adaptive rule. */
export interface AdaptiveSettings {
  /** Inter-arrival gaps kept (ring buffer size). */
  windowSize: number;
  /** Gaps needed before traffic can be called steady. */
  minSamples: number;
  /** Switch to periodic when the median gap is at most this, in ms. */
  enterGapMs: number;
  /** Switch back to per-invoke when the median gap exceeds this, in ms (hysteresis). */
  leaveGapMs: number;
  /** A single gap this long (ms) means the traffic paused: back to per-invoke at once. */
  pauseGapMs: number;
}

/** Defaults: periodic from about 2 invokes/s of steady traffic, back under 1 invoke/s. */
export const DEFAULT_ADAPTIVE: Omit<AdaptiveSettings, 'pauseGapMs'> = {
  windowSize: 16,
  minSamples: 8,
  enterGapMs: 500,
  leaveGapMs: 1000,
};

/** What the adaptive rule decided for one invoke. */
export type AdaptiveChoice = 'per-invoke' | 'periodic';

/**
 * The `adaptive` rule: flush every invoke when traffic is infrequent, switch to the periodic
 * rule when it is steady and high-rate. It keeps the last `windowSize` inter-arrival gaps (a
 * bounded ring buffer; arrival times come from the invokes' deadlines, which are arrival +
 * the function timeout, so their differences are the exact inter-arrival gaps) and decides:
 * - fewer than `minSamples` gaps known → `per-invoke`;
 * - the latest gap ≥ `pauseGapMs` (default: the flush interval) → `per-invoke` (traffic
 *   paused; what is held should not wait for the next burst);
 * - in `per-invoke`: median gap ≤ `enterGapMs` → `periodic`;
 * - in `periodic`: median gap > `leaveGapMs` → `per-invoke`.
 * The two thresholds keep a rate near one of them from flapping between the two.
 * `periodic` then flushes by {@link periodicFlushDue}.
 */
export class AdaptiveRule {
  private readonly gaps: number[];
  private next = 0;
  private count = 0;
  private lastArrival: number | undefined;
  private lastGap = Number.POSITIVE_INFINITY;
  private current: AdaptiveChoice = 'per-invoke';

  constructor(private readonly settings: AdaptiveSettings) {
    if (settings.windowSize < 1 || settings.minSamples < 1 || settings.minSamples > settings.windowSize) {
      throw new RangeError('AdaptiveRule: need 1 <= minSamples <= windowSize');
    }
    this.gaps = new Array<number>(settings.windowSize).fill(0);
  }

  /** The current choice. */
  get choice(): AdaptiveChoice {
    return this.current;
  }

  /** Records an arrival (epoch ms, non-decreasing in practice) and returns the new choice. */
  arrive(at: number): AdaptiveChoice {
    if (this.lastArrival !== undefined && Number.isFinite(at)) {
      const gap = Math.max(0, at - this.lastArrival);
      this.gaps[this.next] = gap;
      this.next = (this.next + 1) % this.gaps.length;
      this.count = Math.min(this.count + 1, this.gaps.length);
      this.lastGap = gap;
    }
    if (Number.isFinite(at)) this.lastArrival = at;
    this.current = this.decide();
    return this.current;
  }

  /** Median of the gaps in the window (Infinity when empty). */
  medianGap(): number {
    if (this.count === 0) return Number.POSITIVE_INFINITY;
    const sorted = this.gaps.slice(0, this.count).sort((a, b) => a - b);
    const mid = this.count >> 1;
    return this.count % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  }

  private decide(): AdaptiveChoice {
    const s = this.settings;
    if (this.count < s.minSamples) return 'per-invoke';
    if (this.lastGap >= s.pauseGapMs) return 'per-invoke';
    const median = this.medianGap();
    if (this.current === 'per-invoke') return median <= s.enterGapMs ? 'periodic' : 'per-invoke';
    return median > s.leaveGapMs ? 'per-invoke' : 'periodic';
  }
}
