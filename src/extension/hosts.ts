// Where the extension's core (worker/core.ts) runs: on a worker thread (module loading that
// cannot wait blocks on Atomics.wait until the worker registered) or on the main thread (module
// loading awaits the registration: one local HTTP round trip instead of a thread's start-up).
// Both take the same messages and write the same shared slots; the bridge does not care which.
import { workerThreads } from '../worker-threads.js';
import { ExtensionCore } from './worker/core.js';
import { WORKER_RESOURCE_LIMITS, type FromWorker, type ToWorker, type WorkerData } from './worker/protocol.js';

// Replaced at build time (esbuild / vitest `define`) by the bundled worker script.
declare const __OLF_WORKER_SOURCE__: string;

/** The thread the extension's core runs on. */
export type HostThread = 'worker' | 'main';

/** A running core, seen from the bridge. */
export interface ExtensionHost {
  readonly thread: HostThread;
  post(message: ToWorker): void;
  /** Stops the core (tests; in Lambda the process is frozen or killed instead). */
  terminate(): Promise<void>;
  /** Test seam: ends the worker thread as a crash would (the bridge is told it died). */
  crashForTests?(): Promise<number>;
}

/** What a host tells the bridge. */
export interface HostEvents {
  receive(message: FromWorker): void;
  /** The worker thread ended without being asked to (crash, out of memory). */
  died(reason: string): void;
}

/** Boots the worker thread (throws when it cannot be constructed). */
export function startWorkerHost(shared: Int32Array, prepare: { host: string } | undefined, events: HostEvents): ExtensionHost {
  const data: WorkerData = { shared: shared.buffer as SharedArrayBuffer, ...(prepare ? { prepare } : {}) };
  const worker = new (workerThreads().Worker)(__OLF_WORKER_SOURCE__, {
    eval: true,
    name: 'otel-lambda-flush-extension',
    workerData: data,
    // The worker needs no preloads (e.g. instrumentation hooks): keep its boot light.
    execArgv: [],
    stdout: false,
    stderr: false,
    resourceLimits: WORKER_RESOURCE_LIMITS,
  });
  let stopping = false;
  let dead = false;
  const die = (reason: string): void => {
    if (stopping || dead) return;
    dead = true;
    events.died(reason);
  };
  worker.unref();
  worker.on('message', (m: FromWorker) => events.receive(m));
  // 'error' (an uncaught exception, ERR_WORKER_OUT_OF_MEMORY) is followed by 'exit'.
  worker.on('error', (err) => die(err instanceof Error ? err.message : String(err)));
  worker.on('exit', (code) => die(`exited with code ${code}`));
  return {
    thread: 'worker',
    post(message) {
      try {
        worker.postMessage(message);
      } catch {
        // A dead worker: the bridge was told.
      }
    },
    async terminate() {
      stopping = true;
      await worker.terminate();
    },
    crashForTests: () => worker.terminate(),
  };
}

/**
 * Runs the core on this thread. Its messages reach the bridge in a microtask, as a worker's
 * would arrive later (never inside the bridge call that caused them).
 */
export function startMainThreadHost(shared: Int32Array, prepare: { host: string } | undefined, events: HostEvents): ExtensionHost {
  const core = new ExtensionCore(shared, (m) => queueMicrotask(() => events.receive(m)), prepare, true);
  return {
    thread: 'main',
    post: (message) => core.receive(message),
    terminate: () => core.close(),
  };
}

/**
 * Keeps polling `/event/next` for an extension whose worker died after registering: Lambda ends
 * an invoke only when every INVOKE-registered extension polls again. Never holds an invoke.
 */
export function adoptOnMainThread(runtimeApi: string, identifier: string): ExtensionCore {
  const core = new ExtensionCore(new Int32Array(4), () => {}, undefined, true);
  void core.adopt(runtimeApi, identifier);
  return core;
}
