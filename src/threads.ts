// Lambda Managed Instances: which thread this is, and the one channel every thread of the
// process shares. There the runtime client runs handlers in worker threads; signals reach the
// main thread only; the library on the main thread (the register preload) speaks for the
// environment, the copies in the worker threads for their own providers. A BroadcastChannel
// reaches every thread of the process and is unref'd, so it never keeps one alive.
import type { Env } from './config/env.js';
import { workerThreads } from './worker-threads.js';

/** The channel's name; a future incompatible protocol takes a new one. */
export const CHANNEL_NAME = 'otel-lambda-flush.managed.v1';
/** The extension worker's thread name (src/extension/bridge.ts). */
const EXTENSION_THREAD = 'otel-lambda-flush-extension';

/** What the threads tell each other. */
export type ManagedMessage =
  /** A worker thread loaded the library (so the main thread knows whom to wait for at SIGTERM). */
  | { t: 'hello'; thread: number }
  /** The main-thread part is running (at its start, and in answer to each hello). */
  | { t: 'main' }
  /** SIGTERM reached the main thread: flush and shut the providers down within `budgetMs`. */
  | { t: 'shutdown'; budgetMs: number }
  /** A worker thread's answer to `shutdown`. */
  | { t: 'ack'; thread: number }
  /** Request ids of invokes a worker thread handled: their platform events count (main thread). */
  | { t: 'ended'; ids: string[] };

/** Most request ids in one `ended` message. */
export const MAX_ENDED_IDS = 512;

/** Lambda Managed Instances (`AWS_LAMBDA_MAX_CONCURRENCY` set): many invokes at once, handlers in worker threads. */
export function managedMode(env: Env = process.env): boolean {
  return (env.AWS_LAMBDA_MAX_CONCURRENCY ?? '').trim() !== '';
}

/** True in the library's own extension worker (which Node also hands NODE_OPTIONS preloads). */
export function isExtensionWorker(): boolean {
  const wt = workerThreads();
  if (wt.isMainThread) return false;
  if ((wt as { threadName?: unknown }).threadName === EXTENSION_THREAD) return true;
  const d = wt.workerData as { shared?: unknown; prepare?: unknown } | null | undefined;
  return typeof d === 'object' && d !== null && d.shared instanceof SharedArrayBuffer && Object.keys(d).every((k) => k === 'shared' || k === 'prepare');
}

/** A thread that runs handlers (not the main thread, not the library's extension worker). */
export function inRuntimeWorker(): boolean {
  return !workerThreads().isMainThread && !isExtensionWorker();
}

function isMessage(x: unknown): x is ManagedMessage {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as Record<string, unknown>;
  switch (m.t) {
    case 'hello':
    case 'ack':
      return Number.isSafeInteger(m.thread);
    case 'main':
      return true;
    case 'shutdown':
      return typeof m.budgetMs === 'number' && Number.isFinite(m.budgetMs) && m.budgetMs >= 0;
    case 'ended':
      return Array.isArray(m.ids) && m.ids.length <= MAX_ENDED_IDS && m.ids.every((id) => typeof id === 'string' && id.length <= 128);
    default:
      return false;
  }
}

/** The thread's end of the channel: well-formed messages only reach `onMessage`; never keeps the thread alive. */
export interface ManagedChannel {
  post(message: ManagedMessage): void;
  close(): void;
}

/** Opens the channel (unref'd). Malformed messages are ignored. */
export function openChannel(onMessage: (m: ManagedMessage) => void): ManagedChannel {
  const ch = new (workerThreads().BroadcastChannel)(CHANNEL_NAME);
  (ch as { unref?: () => void }).unref?.();
  ch.onmessage = (e) => {
    const data = (e as { data?: unknown }).data;
    if (!isMessage(data)) return;
    try {
      onMessage(data);
    } catch {
      // coordination must never throw into the event loop
    }
  };
  return {
    post(message) {
      try {
        ch.postMessage(message);
      } catch {
        // closed
      }
    },
    close: () => ch.close(),
  };
}
