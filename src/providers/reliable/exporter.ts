// The reliable exporter: wraps any OpenTelemetry exporter (span, log record or push metric)
// so that a batch that cannot be delivered within the flush budget is kept (bounded) and sent
// first at the next flush, across invokes and freezes. Attempts and retries are bounded by the
// running flush's deadline; Retry-After and a presumed-dead collector (circuit breaker) make
// exports keep at once instead of waiting. The processor always gets SUCCESS once the batch is
// delivered or kept: from then on the batch is ours, and the counters tell what happened.
import { schedule } from '../../alarm.js';
import type { Signal } from '../../outcome.js';
import { processState } from '../../state.js';
import { Breaker } from './breaker.js';
import { classifyFailure, ExportAttemptError } from './classify.js';
import { KeepQueue, type KeptBatch } from './keep-queue.js';
import { reliabilityFromEnv, type ReliabilitySettings } from './options.js';
import { measureBatch } from './size.js';
import { exportControl, noteHealth, type SignalExportStats } from './stats.js';

/** The result an exporter reports (`ExportResult` of @opentelemetry/core: code 0 = success). */
export interface ExportResultLike {
  /** 0 success, 1 failure. */
  code: number;
  /** Why it failed. */
  error?: Error;
}

/** The exporter shape the SDK's processors and readers call. */
export interface ExporterLike<T = any> {
  export(items: T, resultCallback: (result: ExportResultLike) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/** Options of {@link reliableExporter}. Unset ones come from the `OTEL_LAMBDA_EXPORT_*` env vars. */
export interface ReliableExporterOptions {
  /** The signal the exporter carries (for the counters). Default: `metrics` for a metric exporter, else `traces`. */
  signal?: Signal;
  /** Most items kept for a later flush. Default: `OTEL_LAMBDA_EXPORT_KEEP_MAX_ITEMS`, else 2048 (about 10 MB of heap for SDK spans). */
  maxKeptItems?: number;
  /** Most estimated bytes kept. Default: `OTEL_LAMBDA_EXPORT_KEEP_MAX_BYTES`, else 4 MiB. */
  maxKeptBytes?: number;
  /** Written to instead of dropping (e.g. the stdout exporter). Default: none. */
  fallback?: ExporterLike;
  /** Longest an export may take when no flush bounds it (a processor's own timer), in ms. Default: `OTEL_LAMBDA_FLUSH_TIMEOUT_MS`, else 1000. */
  timeoutMs?: number;
  /** @internal Tells the wrapped transport how long the next attempt may take. */
  setAttemptTimeout?: (ms: number) => void;
}

const SUCCESS = 0;
/** Below this much budget, an attempt is not started (the batch stays kept). */
const MIN_ATTEMPT_MS = 15;
/** An attempt while the breaker is open (a probe) waits at most this long. */
const PROBE_TIMEOUT_MS = 200;
const BACKOFF_BASE_MS = 25;
const BACKOFF_MAX_MS = 250;
/** Immediate retries of a batch on a connection that died unseen. */
const STALE_RETRIES = 2;
/** Kept arrays merge into requests of at most this many items. */
const MERGE_LIMIT = 512;

/** What the flusher drives: every reliable exporter registers one. */
export interface Drainable {
  readonly signal: Signal;
  /** Sends what is kept within the running flush's deadline; resolves when the attempt round ends. */
  drain(): Promise<void>;
  /** Items held now. */
  kept(): number;
}

const DRAINABLES = Symbol.for('otel-lambda-flush.drainables');

/** Every live reliable exporter of the process. */
export function drainables(): Set<Drainable> {
  const g = globalThis as unknown as Record<symbol, Set<Drainable> | undefined>;
  return (g[DRAINABLES] ??= new Set());
}

class ReliableExporter<T> implements Drainable {
  readonly signal: Signal;
  private readonly queue: KeepQueue<T>;
  private readonly breaker: Breaker;
  private readonly stats: SignalExportStats;
  private readonly waiters: Array<(result: ExportResultLike) => void> = [];
  private running: Promise<void> | undefined;
  private reportedKept = 0;
  private staleRetries = 0;
  private stopped = false;

  constructor(
    private readonly inner: ExporterLike<T>,
    private readonly options: ReliableExporterOptions,
    private readonly settings: ReliabilitySettings,
  ) {
    this.signal = options.signal ?? (typeof (inner as { selectAggregationTemporality?: unknown }).selectAggregationTemporality === 'function' ? 'metrics' : 'traces');
    this.stats = exportControl().stats[this.signal];
    this.breaker = new Breaker(settings.breaker);
    this.queue = new KeepQueue<T>(
      { maxItems: options.maxKeptItems ?? settings.maxKeptItems, maxBytes: options.maxKeptBytes ?? settings.maxKeptBytes, mergeLimit: MERGE_LIMIT },
      (batch) => this.lose(batch),
    );
    drainables().add(this);
  }

  export(items: T, resultCallback: (result: ExportResultLike) => void): void {
    const { count, bytes } = measureBatch(items);
    if (count === 0 && Array.isArray(items)) return resultCallback({ code: SUCCESS });
    if (this.stopped) {
      this.lose({ items, count, bytes, attempts: 0 });
      return resultCallback({ code: SUCCESS });
    }
    this.queue.push({ items, count, bytes, attempts: 0 });
    this.syncKept();
    // In flight until answered: the flusher does not skip this signal meanwhile (idle.ts).
    const inFlight = processState().health.inFlight;
    inFlight[this.signal]++;
    this.waiters.push((result) => {
      inFlight[this.signal]--;
      resultCallback(result);
    });
    void this.drain();
  }

  kept(): number {
    return this.queue.count;
  }

  drain(): Promise<void> {
    if (this.running) return this.running;
    if (this.queue.length === 0 && this.waiters.length === 0) return Promise.resolve();
    this.running = this.run().finally(() => {
      this.running = undefined;
      this.syncKept();
      const waiters = this.waiters.splice(0);
      for (const w of waiters) w({ code: SUCCESS });
    });
    return this.running;
  }

  async forceFlush(): Promise<void> {
    await this.drain();
    await this.inner.forceFlush?.();
  }

  async shutdown(): Promise<void> {
    await this.drain();
    this.stopped = true;
    drainables().delete(this);
    // Nothing more will flush: what is still kept goes to the fallback or is lost.
    for (const batch of this.queue.drain()) this.lose(batch);
    this.syncKept();
    await this.inner.shutdown();
  }

  private deadline(started: number): number {
    return exportControl().deadline ?? started + (this.options.timeoutMs ?? this.settings.attemptTimeoutMs);
  }

  private async run(): Promise<void> {
    const started = performance.now();
    for (;;) {
      if (this.stopped || (!this.breaker.allow() && exportControl().finalFlush !== true)) return;
      const left = this.deadline(started) - performance.now();
      if (left < MIN_ATTEMPT_MS) return;
      // The oldest batch's last attempt may still succeed: wait for it rather than send twice.
      if (this.queue.peek()?.pending) return;
      const batch = this.queue.shift();
      if (!batch) return;
      const probe = this.breaker.open && exportControl().finalFlush !== true;
      const error = await this.attempt(batch, probe ? Math.min(left, PROBE_TIMEOUT_MS) : left);
      if (error === undefined) {
        this.stats.exported += batch.count;
        this.staleRetries = 0;
        this.breaker.success();
        noteHealth(true);
        continue;
      }
      this.stats.failedAttempts++;
      const kind = classifyFailure(error);
      if (!kind.retryable) {
        this.lose(batch); // the collector refused it for good (e.g. 400): another try cannot help
        noteHealth(false, error);
        continue;
      }
      batch.attempts++;
      this.queue.unshift(batch);
      this.syncKept();
      noteHealth(false, error);
      if (kind.retryAfterMs !== undefined && kind.retryAfterMs > 0) {
        this.breaker.pause(kind.retryAfterMs); // keep for a later flush rather than sleep through the invoke
        return;
      }
      if (kind.staleSocket && this.staleRetries++ < STALE_RETRIES) continue; // at once, on a fresh connection
      this.breaker.failure();
      if (probe || this.breaker.open) return;
      const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (batch.attempts - 1)) * (0.8 + Math.random() * 0.4);
      if (performance.now() + backoff + MIN_ATTEMPT_MS > this.deadline(started)) return;
      await new Promise<void>((resolve) => schedule(backoff, resolve));
    }
  }

  /**
   * One export call; resolves its error, or undefined on success, after at most `waitMs`. The
   * request itself may run on (up to the export timeout): a batch whose attempt outlived the
   * wait is kept but marked pending, and removed from the queue if that attempt succeeds later
   * (e.g. the deadline flush's request landing just before the kill, or after a thaw).
   */
  private attempt(batch: KeptBatch<T>, waitMs: number): Promise<unknown> {
    if (batch.attempts > 0) this.stats.retried += batch.count;
    const requestMs = Math.max(waitMs, this.options.timeoutMs ?? this.settings.attemptTimeoutMs);
    return new Promise((resolve) => {
      let waited = false;
      let answered = false;
      const cancel = schedule(waitMs + 5, () => {
        if (answered) return;
        waited = true;
        batch.pending = true;
        resolve(new ExportAttemptError(`export attempt not answered within ${Math.round(waitMs)} ms`, true));
        // An exporter that never answers must not hold the queue forever.
        schedule(requestMs - waitMs + 100, () => {
          if (answered) return;
          answered = true;
          batch.pending = false;
        });
      });
      const onResult = (error: unknown) => {
        if (answered) return;
        answered = true;
        cancel();
        if (!waited) return resolve(error);
        batch.pending = false; // answered late: the batch is no longer in doubt
        if (error === undefined && this.queue.remove(batch)) {
          this.stats.exported += batch.count;
          this.syncKept();
          this.breaker.success();
          noteHealth(true);
        }
      };
      try {
        this.options.setAttemptTimeout?.(requestMs);
        this.inner.export(batch.items, (result) => onResult(result?.code === SUCCESS ? undefined : (result?.error ?? new Error('export failed'))));
      } catch (e) {
        onResult(e ?? new Error('export threw'));
      }
    });
  }

  /** A batch leaves for good: to the fallback when there is one, else counted as dropped. */
  private lose(batch: KeptBatch<T>): void {
    const fallback = this.options.fallback;
    if (fallback) {
      try {
        fallback.export(batch.items, () => undefined);
        this.stats.spilled += batch.count;
        return;
      } catch {
        // fall through: dropped
      }
    }
    this.stats.dropped += batch.count;
  }

  private syncKept(): void {
    const now = this.queue.count;
    this.stats.kept += now - this.reportedKept;
    this.reportedKept = now;
  }
}

const PASS_THROUGH = ['selectAggregationTemporality', 'selectAggregation'] as const;

/**
 * Wraps an exporter so that nothing it fails to deliver is lost at once: failed batches are
 * kept (oldest dropped first past `maxKeptItems` / `maxKeptBytes`, drops counted) and sent
 * first at the next flush of `withFlush` / `otelFlush` — across invokes and freezes — and at
 * SIGTERM. Retries (408, 429, 5xx, network errors) are bounded by the flush budget; a
 * `Retry-After` or a collector that keeps failing makes exports keep at once (a probe per
 * cooldown checks for recovery). Delivery is at least once: see the README on duplicates.
 *
 * Use it for exporters of providers you build yourself; `setupTelemetry()` uses it already.
 * Set the inner exporter's own timeout to the flush timeout or less.
 *
 * @example
 * ```ts
 * const exporter = reliableExporter(new OTLPTraceExporter(), { signal: 'traces' });
 * const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
 * ```
 */
export function reliableExporter<E extends ExporterLike>(exporter: E, options: ReliableExporterOptions = {}): E {
  if (typeof exporter?.export !== 'function' || typeof exporter.shutdown !== 'function') {
    throw new TypeError('otel-lambda-flush: reliableExporter() needs an exporter with export() and shutdown()');
  }
  const wrapper = new ReliableExporter(exporter, options, reliabilityFromEnv());
  for (const name of PASS_THROUGH) {
    const fn = (exporter as unknown as Record<string, unknown>)[name];
    if (typeof fn === 'function') (wrapper as unknown as Record<string, unknown>)[name] = fn.bind(exporter);
  }
  return wrapper as unknown as E;
}
