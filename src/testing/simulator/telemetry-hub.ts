// Telemetry API delivery for one runtime process: buffers events per subscription and POSTs
// JSON arrays honouring maxItems / maxBytes / timeoutMs, with bounded retries. Delivery is
// paused while the process is frozen (a frozen listener cannot answer) and resumes on thaw.
import { request, type ClientRequest } from 'node:http';
import type { ParsedSubscription } from './telemetry-subscription.js';
import type { TelemetryEvent, TelemetryLog } from './types.js';

const ATTEMPTS = 3;
const ATTEMPT_TIMEOUT_MS = 2000;
const RETRY_DELAY_MS = 50;
/** Bound of the simulator's own records (emitted events, batches). */
export const LOG_LIMIT = 20_000;

interface Subscriber {
  name: string;
  sub: ParsedSubscription;
  queue: { event: TelemetryEvent; bytes: number }[];
  queueBytes: number;
  timer?: NodeJS.Timeout;
  sending: boolean;
}

function pushBounded<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > LOG_LIMIT) list.splice(0, list.length - LOG_LIMIT);
}

/** Buffers and delivers Telemetry API events of one process to its subscribers. */
export class TelemetryHub {
  private readonly subscribers = new Map<string, Subscriber>();
  private readonly history: TelemetryEvent[] = [];
  private paused = false;
  /** > 0 while a flush() runs: every buffer goes out without waiting for its timer. */
  private flushing = 0;
  private closed = false;
  private readonly idleWaiters = new Set<() => void>();
  private readonly pauseWaiters = new Set<() => void>();
  private readonly active = new Set<ClientRequest>();

  constructor(private readonly log: TelemetryLog) {}

  /** Adds (or replaces) a subscription; it receives the matching events emitted so far in this process. */
  subscribe(extensionId: string, extensionName: string, sub: ParsedSubscription): void {
    const old = this.subscribers.get(extensionId);
    if (old?.timer) clearTimeout(old.timer);
    const s: Subscriber = { name: extensionName, sub, queue: [], queueBytes: 0, sending: false };
    this.subscribers.set(extensionId, s);
    for (const event of this.history) this.enqueue(s, event);
    this.pump(s, false);
  }

  /** Records an event and queues it for every subscriber of its type. */
  emit(type: string, record: unknown): TelemetryEvent {
    const event: TelemetryEvent = { time: new Date().toISOString(), type, record };
    pushBounded(this.log.emitted, event);
    if (this.closed) return event;
    if (this.history.length < LOG_LIMIT) this.history.push(event);
    for (const s of this.subscribers.values()) {
      this.enqueue(s, event);
      this.pump(s, false);
    }
    return event;
  }

  /** Stops sending (the process is frozen). Buffer timers are dropped; queued events wait. */
  pause(): void {
    this.paused = true;
    for (const s of this.subscribers.values()) {
      if (s.timer) clearTimeout(s.timer);
      s.timer = undefined;
    }
  }

  /** Sends again after a thaw: everything queued goes out at once. */
  resume(): void {
    this.paused = false;
    for (const w of this.pauseWaiters) w();
    this.pauseWaiters.clear();
    for (const s of this.subscribers.values()) this.pump(s, true);
  }

  /** Delivers everything queued now, resolving when done or after `timeoutMs`. */
  async flush(timeoutMs: number): Promise<void> {
    if (this.paused) this.resume();
    this.flushing++;
    try {
      for (const s of this.subscribers.values()) this.pump(s, true);
      const end = Date.now() + timeoutMs;
      while (!this.closed && this.busy() && Date.now() < end) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(done, Math.max(1, end - Date.now()));
          function done(): void {
            clearTimeout(t);
            resolve();
          }
          this.idleWaiters.add(done);
        });
      }
    } finally {
      this.flushing--;
    }
  }

  /** Drops everything (the process is gone). */
  close(): void {
    this.closed = true;
    for (const req of this.active) req.destroy();
    this.active.clear();
    for (const s of this.subscribers.values()) if (s.timer) clearTimeout(s.timer);
    this.subscribers.clear();
    this.history.length = 0;
    this.notifyIdle();
    for (const w of this.pauseWaiters) w();
    this.pauseWaiters.clear();
  }

  private busy(): boolean {
    for (const s of this.subscribers.values()) if (s.sending || s.queue.length > 0) return true;
    return false;
  }

  private notifyIdle(): void {
    for (const w of this.idleWaiters) w();
    this.idleWaiters.clear();
  }

  private enqueue(s: Subscriber, event: TelemetryEvent): void {
    if (!s.sub.types.includes(event.type.split('.')[0] ?? '')) return;
    const bytes = Buffer.byteLength(JSON.stringify(event));
    s.queue.push({ event, bytes });
    s.queueBytes += bytes;
  }

  private pump(s: Subscriber, force: boolean): void {
    if (this.closed || this.paused || s.sending || s.queue.length === 0) {
      if (!s.sending && s.queue.length === 0) this.notifyIdle();
      return;
    }
    const full = s.queue.length >= s.sub.buffering.maxItems || s.queueBytes >= s.sub.buffering.maxBytes;
    if (!force && !full && this.flushing === 0) {
      s.timer ??= setTimeout(() => {
        s.timer = undefined;
        this.pump(s, true);
      }, s.sub.buffering.timeoutMs);
      return;
    }
    if (s.timer) clearTimeout(s.timer);
    s.timer = undefined;
    const batch: TelemetryEvent[] = [];
    let bytes = 0;
    while (s.queue.length > 0 && batch.length < s.sub.buffering.maxItems) {
      const next = s.queue[0]!;
      if (batch.length > 0 && bytes + next.bytes > s.sub.buffering.maxBytes) break;
      s.queue.shift();
      s.queueBytes -= next.bytes;
      bytes += next.bytes;
      batch.push(next.event);
    }
    s.sending = true;
    void this.deliver(s, batch).finally(() => {
      s.sending = false;
      // What is left goes out at once when the buffer was full or this was a forced flush.
      this.pump(s, force || s.queue.length >= s.sub.buffering.maxItems);
      if (!this.busy()) this.notifyIdle();
    });
  }

  private async deliver(s: Subscriber, events: TelemetryEvent[]): Promise<void> {
    const body = JSON.stringify(events);
    let attempts = 0;
    let ok = false;
    while (!ok && attempts < ATTEMPTS && !this.closed) {
      if (this.paused) await new Promise<void>((r) => this.pauseWaiters.add(r));
      if (this.closed) break;
      attempts++;
      ok = await this.post(s.sub.deliverTo, body);
      if (!ok && attempts < ATTEMPTS) await new Promise((r) => setTimeout(r, RETRY_DELAY_MS * attempts));
    }
    pushBounded(this.log.batches, { extensionName: s.name, deliverTo: s.sub.deliverTo, deliveredAt: Date.now(), events, attempts, ok });
  }

  /** One POST; its timeout only runs while the process is not frozen. */
  private post(url: string, body: string): Promise<boolean> {
    return new Promise((resolve) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (ok: boolean): void => {
        if (settled) return;
        settled = true;
        this.active.delete(req);
        if (timer) clearTimeout(timer);
        resolve(ok);
      };
      const req = request(url, { method: 'POST', agent: false, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => finish(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300));
        res.on('error', () => finish(false));
      });
      const arm = (): void => {
        if (settled || this.closed) return;
        timer = setTimeout(() => {
          if (this.paused && !this.closed) {
            this.pauseWaiters.add(arm); // frozen listener: wait for the thaw, then give it the full time again
            return;
          }
          req.destroy(new Error('telemetry delivery timed out'));
          finish(false);
        }, ATTEMPT_TIMEOUT_MS);
      };
      this.active.add(req);
      arm();
      req.on('error', () => finish(false));
      req.end(body);
    });
  }
}
