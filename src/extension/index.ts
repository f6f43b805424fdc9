// The in-process internal extension, main-thread entry points: boot the worker early (at import),
// register late (when the handler is wrapped), fall back to flushing before the response when
// registration is not possible.
import { warn, warnOnce } from '../diag.js';
import { addShutdownHook } from '../lifecycle/shutdown.js';
import type { ExtensionBridge } from './bridge.js';
import { bootOnImport, bootWorker } from './early-boot.js';
import { slot } from './slot.js';
import type { LoggerProvider } from '@opentelemetry/api-logs';
import { forwardLogs } from './log-forwarder.js';
import type { ResolvedExtensionOptions } from './options.js';
import { PlatformTelemetry, type PlatformProviders } from './platform-metrics.js';
import type { WorkerConfig } from './worker/protocol.js';

export type { ExtensionBridge, ExtensionState, ExtensionStats } from './bridge.js';

/** The extension worker of this process, if one was booted. */
export function currentExtension(): ExtensionBridge | undefined {
  return slot().bridge;
}

/** The platform-events consumer of this process, once attached. */
export function currentPlatform(): PlatformTelemetry | undefined {
  return slot().platform;
}

/** Turns the bridge's Telemetry API events into metrics (once per process). */
export function attachPlatform(
  bridge: ExtensionBridge,
  providers: PlatformProviders & { loggerProvider?: LoggerProvider },
  logs = false,
): PlatformTelemetry {
  const s = slot();
  if (!s.platform) {
    const platform = new PlatformTelemetry(providers);
    s.platform = platform;
    bridge.onTelemetry((events) => {
      platform.record(events);
      if (logs) forwardLogs(events, providers.loggerProvider);
    });
  }
  return s.platform;
}

/** Longest the SIGTERM path waits for the last invoke's platform.report, in ms. */
export const LAST_REPORT_WAIT_MS = 150;

/**
 * Once per process: before the final flush at SIGTERM, wait (bounded) for the last invoke's
 * platform.report, which Lambda only delivers after the invoke ended, so its metrics go out too.
 */
export function installLastReportWait(bridge: ExtensionBridge): void {
  const s = slot();
  if (s.shutdownWait) return;
  s.shutdownWait = true;
  addShutdownHook(async (budgetMs) => {
    const id = bridge.lastInvokeId;
    if (id !== undefined && bridge.subscribed) await bridge.waitForReport(id, Math.min(LAST_REPORT_WAIT_MS, budgetMs));
  });
}

/** Boots the worker (idempotent). Registration waits for {@link connectExtension}. */
export function bootExtension(env: NodeJS.ProcessEnv = process.env): ExtensionBridge {
  const s = slot();
  const bridge = bootWorker(env);
  // A worker booted by the early-boot module has no diag wiring yet (it must not import
  // OpenTelemetry); its messages are only read once module loading is over, after this.
  if (!s.warnWired) {
    s.warnWired = true;
    bridge.onWarn = (m) => warn(m);
  }
  return bridge;
}

/**
 * Called when the library is imported: with `OTEL_LAMBDA_EXTENSION=true` inside Lambda, boots
 * the worker so its start-up overlaps the function's other imports. Does nothing else.
 */
export function startExtensionOnImport(env: NodeJS.ProcessEnv = process.env): void {
  bootOnImport(env);
}

/** The worker configuration for these options and this environment. */
export function workerConfig(options: ResolvedExtensionOptions, env: NodeJS.ProcessEnv, invokeWanted = true): WorkerConfig | undefined {
  const runtimeApi = env.AWS_LAMBDA_RUNTIME_API;
  if (!runtimeApi) return undefined;
  // Lambda Managed Instances refuse INVOKE registration: register for nothing (SIGTERM and the
  // Telemetry API still work), flush before the response.
  const managed = (env.AWS_LAMBDA_MAX_CONCURRENCY ?? '').trim() !== '';
  const t = options.telemetry;
  return {
    runtimeApi,
    name: options.name,
    invoke: invokeWanted && !managed,
    gateMarginMs: options.gateMarginMs,
    ...(t
      ? {
          telemetry: {
            host: t.host,
            port: t.port,
            types: t.forwardLogs ? ['platform', 'function', 'extension'] : ['platform'],
            buffering: t.buffering,
            bodyTimeoutMs: t.bodyTimeoutMs,
          },
        }
      : {}),
  };
}

/** A registration under way: {@link PendingExtension.finish} blocks until it settled. */
export interface PendingExtension {
  bridge: ExtensionBridge;
  /**
   * Blocks (at most `registrationTimeoutMs` from the call) until the worker registered; warns
   * once and returns false when it failed or timed out. Idempotent.
   */
  finish(): boolean;
}

/**
 * Boots the worker if needed and sends it the configuration, without waiting: the worker
 * registers while the calling thread goes on. `invokeWanted` false registers for no event
 * (SIGTERM and the Telemetry API only). Returns undefined (after one warning) when the
 * extension cannot run here: the caller flushes before the response. Never throws.
 */
export function beginExtension(
  options: ResolvedExtensionOptions,
  env: NodeJS.ProcessEnv = process.env,
  invokeWanted = true,
): PendingExtension | undefined {
  const config = workerConfig(options, env, invokeWanted);
  if (!config) {
    warnOnce('extension-no-runtime-api', 'extension requested but AWS_LAMBDA_RUNTIME_API is not set (not in Lambda): flushing before the response');
    return undefined;
  }
  if (invokeWanted && !config.invoke) {
    warnOnce(
      'extension-managed-instances',
      'Lambda Managed Instances (AWS_LAMBDA_MAX_CONCURRENCY set) do not allow INVOKE registration: the extension serves SIGTERM and the Telemetry API only; flushing before the response',
    );
  }
  const early = slot().bootError;
  if (early !== undefined) {
    warnOnce('extension-failed', `extension worker could not start (${early}): flushing before the response`);
    return undefined;
  }
  let bridge: ExtensionBridge;
  try {
    bridge = bootExtension(env);
  } catch (err) {
    // Remember the failure: later wraps fall back at once instead of trying a new Worker each time.
    slot().bootError = err instanceof Error ? err.message : String(err);
    warnOnce('extension-failed', `extension worker could not start (${slot().bootError}): flushing before the response`);
    return undefined;
  }
  bridge.start(config);
  return {
    bridge,
    finish: () => {
      if (bridge.waitRegistered(options.registrationTimeoutMs)) return true;
      warnOnce('extension-failed', `extension registration ${bridge.failure ?? 'failed'}: flushing before the response`);
      return false;
    },
  };
}

/**
 * Called when the handler is wrapped (the end of module loading, before the runtime's first
 * `/next`): {@link beginExtension}, then blocks for the registration, at most
 * `registrationTimeoutMs`. Returns the bridge when registered; otherwise warns once and
 * returns undefined (the caller flushes before the response). Never throws.
 */
export function connectExtension(
  options: ResolvedExtensionOptions,
  env: NodeJS.ProcessEnv = process.env,
  invokeWanted = true,
): ExtensionBridge | undefined {
  const pending = beginExtension(options, env, invokeWanted);
  return pending?.finish() ? pending.bridge : undefined;
}

/** Test helper: stops the worker and forgets it, so the next boot starts afresh. */
export async function resetExtensionForTests(): Promise<void> {
  const s = slot();
  const b = s.bridge;
  s.bridge = undefined;
  s.platform = undefined;
  s.shutdownWait = undefined;
  s.bootError = undefined;
  s.warnWired = undefined;
  await b?.terminate();
}
