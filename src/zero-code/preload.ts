// What the `otel-lambda-flush/register` preload does, shared by its ESM and CommonJS entries.
// Only OTEL_* configuration, no handler wrapping: that stays in code (or in the zero-code
// handler module). On Lambda Managed Instances it also does the main thread's part: Node runs
// the preload there before the runtime client starts its worker threads, and signals reach
// that thread only (src/managed/).
import { isMainThread } from 'node:worker_threads';
import { createCore } from '../compose.js';
import { warn } from '../diag.js';
import { setupTelemetry } from '../index.js';
import { coordinateWorkers } from '../managed/main-side.js';
import { isExtensionWorker, managedMode } from '../threads.js';
import { processState } from '../state.js';

/**
 * Managed Instances, main thread: one core over this thread's providers (platform metrics), in
 * background mode; the extension registered for no event (so Lambda sends SIGTERM), unless
 * `OTEL_LAMBDA_EXTENSION=false`; at SIGTERM the worker threads flush first (coordinateWorkers).
 * Synchronous: the registration completes before the runtime client can start its workers.
 */
function startMainThreadPart(env: NodeJS.ProcessEnv): void {
  const state = processState();
  if ((state.managed as { mainPart?: boolean }).mainPart) return;
  (state.managed as { mainPart?: boolean }).mainPart = true;
  coordinateWorkers();
  try {
    createCore({ flush: { mode: 'background' }, ...(env.OTEL_LAMBDA_EXTENSION === undefined ? { extension: true } : {}) });
  } catch (e) {
    warn('Lambda Managed Instances: the main thread part could not start', e);
  }
}

/**
 * Sets up the default providers from OTEL_* env vars; never rejects (a failure is reported
 * through diag). `awaited`: the caller awaits the result before any user code loads (the ESM
 * preload, the zero-code handler), so the extension (OTEL_LAMBDA_EXTENSION=true) registers from
 * this thread while it waits; a `--require` preload cannot wait, and leaves it to the worker.
 */
export function register(env: NodeJS.ProcessEnv = process.env, awaited = false): Promise<void> {
  // The library's own extension worker gets NODE_OPTIONS preloads too: it needs none of this.
  if (isExtensionWorker()) return Promise.resolve();
  try {
    const telemetry = setupTelemetry();
    const settled = [() => undefined, () => undefined] as const;
    // The promise's own `then` starts the main thread's registration; Promise.prototype.then does not.
    const setup = awaited ? telemetry.then(...settled) : (Promise.prototype.then.call(telemetry, ...settled) as Promise<void>);
    // Worker threads join when their handler is wrapped (src/compose.ts).
    if (managedMode(env) && isMainThread) startMainThreadPart(env);
    return setup;
  } catch {
    return Promise.resolve(); // a TypeError for bad options: impossible without options, kept safe
  }
}
