// Boots the extension worker at import. Imports node builtins, the bridge and the dependency-free
// configuration readers only (no OpenTelemetry), so an entry can call it before the OpenTelemetry
// packages are evaluated. A failure is kept and reported when the handler is wrapped.
import { readVar, VARS } from '../config/variables.js';
import type { Env } from '../config/env.js';
import { inRuntimeWorker, isExtensionWorker, managedMode } from '../threads.js';
import { ExtensionBridge } from './bridge.js';
import { loadedAsEsm } from './module-format.js';
import { slot } from './slot.js';

/**
 * The Telemetry API listener host the environment asks for, for the worker to look up ahead of
 * its configuration; undefined when the Telemetry API is turned off by env.
 */
export function preparedHost(env: Env): { host: string } | undefined {
  if (!readVar(env, VARS.telemetry)) return undefined;
  return { host: readVar(env, VARS.telemetryHost) ?? VARS.telemetryHost.default };
}

/** Boots the worker once per process (idempotent); throws when it cannot start. */
export function bootWorker(env: Env = process.env): ExtensionBridge {
  const s = slot();
  s.bridge ??= new ExtensionBridge(preparedHost(env));
  return s.bridge;
}

/**
 * With `OTEL_LAMBDA_EXTENSION=true` inside Lambda (`AWS_LAMBDA_RUNTIME_API` set), boots the
 * worker so its start-up overlaps the function's other imports; registration waits until the
 * handler is wrapped. Not when the library runs as an ES module: the function's module may
 * await setupTelemetry() and register from the main thread (main-thread.ts), and a worker booted
 * for nothing takes CPU from module loading (Lambda gives a small function a fraction of a
 * core); there the worker boots when a handler is wrapped without that await. Never throws: a
 * failure is kept and reported when the handler is wrapped.
 */
export function bootOnImport(env: Env = process.env, esm = loadedAsEsm()): void {
  if (esm || !env.AWS_LAMBDA_RUNTIME_API || !readVar(env, VARS.extension)) return;
  // Node hands NODE_OPTIONS preloads to the extension worker too: it must not boot one of its own.
  if (isExtensionWorker()) return;
  // Managed Instances: the main thread's part registers the one extension; worker threads never do.
  if (managedMode(env) && inRuntimeWorker()) return;
  try {
    bootWorker(env);
  } catch (err) {
    slot().bootError = err instanceof Error ? err.message : String(err);
  }
}
