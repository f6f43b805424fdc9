// Where the extension's core (worker/core.ts) runs: on a worker thread (module loading that
// cannot wait blocks on Atomics.wait until the worker registered) or on the main thread (module
// loading awaits the registration: one local HTTP round trip instead of a thread's start-up).
// Both take the same messages and write the same shared slots; the bridge does not care which.
import { createRequire } from 'node:module';
import { workerThreads } from '../worker-threads.js';
import type { ExtensionCore } from './worker/core.js';
import { WORKER_RESOURCE_LIMITS, type FromWorker, type ToWorker, type WorkerData } from './worker/protocol.js';

// Replaced at build time (esbuild / vitest `define`) by the bundled worker script; read once
// here, so a bundle carries the string once.
declare const __OLF_WORKER_SOURCE__: string;
const WORKER_SOURCE: string = __OLF_WORKER_SOURCE__;

type CoreClass = typeof ExtensionCore;
let coreClass: CoreClass | undefined;

/**
 * The core's class for this thread, from the worker's own script: evaluated here it exports the
 * class instead of wiring a port (worker/main.ts), so the library carries the protocol once and
 * compiles it only where the extension runs on this thread.
 */
function inProcessCore(): CoreClass {
  if (!coreClass) {
    const module = { exports: {} as { ExtensionCore?: CoreClass } };
    const load = (id: string): unknown => process.getBuiltinModule?.(id) ?? createRequire(`${process.cwd()}/`)(id);
    // The library's own build output (never input): compiled here only when this host starts.
    new Function('require', 'module', 'exports', '__OLF_IN_PROCESS__', WORKER_SOURCE)(load, module, module.exports, true);
    if (!module.exports.ExtensionCore) throw new Error('extension core not found in the worker script');
    coreClass = module.exports.ExtensionCore;
  }
  return coreClass;
}

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
  const worker = new (workerThreads().Worker)(WORKER_SOURCE, {
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
 * Runs the core on this thread (throws when its script cannot be evaluated). Its messages reach the bridge in a microtask, as a worker's
 * would arrive later (never inside the bridge call that caused them).
 */
export function startMainThreadHost(shared: Int32Array, prepare: { host: string } | undefined, events: HostEvents): ExtensionHost {
  const core = new (inProcessCore())(shared, (m) => queueMicrotask(() => events.receive(m)), prepare, true);
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
  const core = new (inProcessCore())(new Int32Array(4), () => {}, undefined, true);
  void core.adopt(runtimeApi, identifier);
  return core;
}
