// Batches that could not be exported yet, oldest first, bounded by items and (estimated)
// bytes: past a bound the oldest batches go first. Arrays (spans, log records) merge into the
// last batch up to `mergeLimit` items, so a backlog drains in few requests.

export interface KeptBatch<T> {
  items: T;
  count: number;
  bytes: number;
  /** Failed attempts so far (a batch with attempts > 0 is a retry when sent). */
  attempts: number;
  /** An attempt that outlived its budget may still succeed: not merged, not re-sent meanwhile. */
  pending?: boolean;
}

export interface KeepLimits {
  maxItems: number;
  maxBytes: number;
  mergeLimit: number;
}

export class KeepQueue<T> {
  private readonly batches: KeptBatch<T>[] = [];
  count = 0;
  bytes = 0;

  constructor(
    private readonly limits: KeepLimits,
    /** Called with each batch dropped to stay within the bounds. */
    private readonly onDrop: (batch: KeptBatch<T>) => void,
  ) {}

  get length(): number {
    return this.batches.length;
  }

  /** Appends at the tail (newest), merging arrays, then enforces the bounds. */
  push(batch: KeptBatch<T>): void {
    const last = this.batches[this.batches.length - 1];
    if (last && !last.pending && Array.isArray(last.items) && Array.isArray(batch.items) && last.count + batch.count <= this.limits.mergeLimit) {
      last.items = (last.items as unknown[]).concat(batch.items) as T;
      last.count += batch.count;
      last.bytes += batch.bytes;
      last.attempts = Math.max(last.attempts, batch.attempts);
    } else this.batches.push(batch);
    this.count += batch.count;
    this.bytes += batch.bytes;
    this.enforce();
  }

  /** Puts a batch back at the head (it was taken for an attempt that failed). */
  unshift(batch: KeptBatch<T>): void {
    this.batches.unshift(batch);
    this.count += batch.count;
    this.bytes += batch.bytes;
    this.enforce();
  }

  /** Removes `batch` if it is still queued (its late attempt succeeded); true when it was. */
  remove(batch: KeptBatch<T>): boolean {
    const at = this.batches.indexOf(batch);
    if (at < 0) return false;
    this.batches.splice(at, 1);
    this.count -= batch.count;
    this.bytes -= batch.bytes;
    return true;
  }

  /** The oldest batch, left in place. */
  peek(): KeptBatch<T> | undefined {
    return this.batches[0];
  }

  /** Takes the oldest batch. */
  shift(): KeptBatch<T> | undefined {
    const batch = this.batches.shift();
    if (batch) {
      this.count -= batch.count;
      this.bytes -= batch.bytes;
    }
    return batch;
  }

  /** Takes everything (shutdown spill). */
  drain(): KeptBatch<T>[] {
    const all = this.batches.splice(0);
    this.count = 0;
    this.bytes = 0;
    return all;
  }

  private enforce(): void {
    while (this.batches.length > 0 && (this.count > this.limits.maxItems || this.bytes > this.limits.maxBytes)) {
      const head = this.batches[0]!;
      // A merged array gives up only its oldest items, as many as the bounds need.
      const excess = Math.max(this.count - this.limits.maxItems, Math.ceil(((this.bytes - this.limits.maxBytes) / Math.max(1, head.bytes)) * head.count));
      if (Array.isArray(head.items) && excess > 0 && excess < head.count) {
        const items = head.items as unknown[];
        const bytes = Math.round((head.bytes * excess) / head.count);
        const part: KeptBatch<T> = { items: items.slice(0, excess) as T, count: excess, bytes, attempts: head.attempts };
        head.items = items.slice(excess) as T;
        head.count -= excess;
        head.bytes -= bytes;
        this.count -= excess;
        this.bytes -= bytes;
        this.onDrop(part);
        continue;
      }
      this.onDrop(this.shift()!);
    }
  }
}
