// Registering from the main thread where module loading waits for it. The worker thread exists
// for CommonJS, whose loading cannot wait: the loading thread blocks until the worker has
// registered. An ES module that awaits setupTelemetry() (or the zero-code handler, or the
// `--import` preload) waits anyway, so the registration can be one local HTTP round trip on
// this thread instead of a thread's start-up. The worker booted at import (early-boot.ts) for
// the CommonJS case is then stopped before it registered: the extension registers once.
import type { Env } from '../config/env.js';
import { resolveOptions } from '../config/options.js';
import { readVar, VARS } from '../config/variables.js';
import { managedMode } from '../threads.js';
import { workerThreads } from '../worker-threads.js';
import { ExtensionBridge } from './bridge.js';
import { preparedHost } from './early-boot.js';
import { wireWarnings, workerConfig } from './index.js';
import { slot } from './slot.js';

/**
 * Starts the extension's registration on this thread, for a caller about to wait for it (the
 * `then` of setupTelemetry()'s promise). Resolves when it settled (registered, refused, or
 * the registration timeout passed; never rejects). Undefined where this path does not apply:
 * the extension is not wanted by env, not in Lambda, not the main thread, Lambda Managed
 * Instances (the main thread's part registers there), or a wrapper already started the worker's
 * registration (CommonJS, or a handler wrapped before the await). Never throws.
 */
export function registerOnMainThread(env: Env = process.env): Promise<void> | undefined {
  const s = slot();
  if (s.mainThread) return s.mainThread;
  if (!env.AWS_LAMBDA_RUNTIME_API || managedMode(env)) return undefined;
  const early = s.bridge;
  if (early?.sent) return undefined;
  let bridge: ExtensionBridge;
  let timeoutMs: number;
  try {
    // Only the runtime's thread (a thread of the function's own never registers on its own).
    if (!readVar(env, VARS.extension) || !workerThreads().isMainThread) return undefined;
    // The environment's settings: a wrapper's own options are not known yet (index.ts warns
    // when they differ). Bad values warn here once, as they would at wrap time.
    const options = resolveOptions(undefined, env);
    if (options.extension === false) return undefined;
    const mode = options.flush.mode;
    const config = workerConfig(options.extension, env, mode !== 'sync' && mode !== 'background');
    if (!config) return undefined;
    bridge = wireWarnings(new ExtensionBridge(preparedHost(env), 'main'));
    // No invoke is held until a wrapper links to the extension (it releases each one).
    bridge.start({ ...config, hold: false });
    timeoutMs = options.extension.registrationTimeoutMs;
  } catch {
    return undefined; // the worker path (and its warnings) at wrap time
  }
  s.bridge = bridge;
  delete s.bootError;
  // The worker booted at import has not been configured: it never registers.
  if (early) void early.terminate();
  s.mainThread = bridge.whenSettled(timeoutMs).then(() => undefined);
  return s.mainThread;
}
