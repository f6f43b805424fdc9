// The in-process internal extension, main-thread entry points: boot the worker early (at import),
// register late (when the handler is wrapped), fall back to flushing before the response when
// registration is not possible.
import { writeSync as __ws } from 'node:fs';
const __T = (l: string): void => { if (process.env.OLF_COLD_TRACE) __ws(2, `TRACE ${(performance.timeOrigin + performance.now()).toFixed(1)} ${l}\n`); };
import { warn, warnOnce } from '../diag.js';
import { addShutdownHook } from '../lifecycle/shutdown.js';
import { ExtensionBridge } from './bridge.js';
import type { LoggerProvider } from '@opentelemetry/api-logs';
import { forwardLogs } from './log-forwarder.js';
import { envBoolean, type ResolvedExtensionOptions } from './options.js';
import { PlatformTelemetry, type PlatformProviders } from './platform-metrics.js';
import type { WorkerConfig } from './worker/protocol.js';

export type { ExtensionBridge, ExtensionState, ExtensionStats } from './bridge.js';

// One worker per process, even when two copies of the library (ESM + CJS, two bundles) load.
const KEY = Symbol.for('otel-lambda-flush.extension');
type Slot = { bridge?: ExtensionBridge; platform?: PlatformTelemetry; shutdownWait?: boolean };

function slot(): Slot {
  const g = globalThis as unknown as Record<symbol, Slot | undefined>;
  return (g[KEY] ??= {});
}

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
export function bootExtension(): ExtensionBridge {
  const s = slot();
  if (!s.bridge) {
    s.bridge = new ExtensionBridge();
    s.bridge.onWarn = (m) => warn(m);
  }
  return s.bridge;
}

/**
 * Called when the library is imported: with `OTEL_LAMBDA_EXTENSION=true` inside Lambda, boots
 * the worker so its start-up (~40 ms) overlaps the function's other imports. Does nothing else.
 */
export function startExtensionOnImport(env: NodeJS.ProcessEnv = process.env): void {
  __T(`import origin=${performance.timeOrigin.toFixed(1)}`);
  if (!env.AWS_LAMBDA_RUNTIME_API) return;
  if (envBoolean(env, 'OTEL_LAMBDA_EXTENSION') !== true) return;
  try {
    bootExtension();
  } catch (err) {
    warn(`extension worker could not start: ${err instanceof Error ? err.message : String(err)}`);
  }
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

/**
 * Called when the handler is wrapped (the end of module loading, before the runtime's first
 * `/next`): boots the worker if needed and blocks for its registration, at most
 * `registrationTimeoutMs`. `invokeWanted` false registers for no event (SIGTERM and the Telemetry
 * API only). Returns the bridge when registered; otherwise warns once and returns
 * undefined (the caller flushes before the response). Never throws.
 */
export function connectExtension(
  options: ResolvedExtensionOptions,
  env: NodeJS.ProcessEnv = process.env,
  invokeWanted = true,
): ExtensionBridge | undefined {
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
  let bridge: ExtensionBridge;
  try {
    bridge = bootExtension();
  } catch (err) {
    warnOnce('extension-failed', `extension worker could not start (${err instanceof Error ? err.message : String(err)}): flushing before the response`);
    return undefined;
  }
  if (!bridge.register(config, options.registrationTimeoutMs)) {
    warnOnce('extension-failed', 'extension registration failed or timed out: flushing before the response');
    return undefined;
  }
  return bridge;
}

/** Test helper: stops the worker and forgets it, so the next boot starts afresh. */
export async function resetExtensionForTests(): Promise<void> {
  const s = slot();
  const b = s.bridge;
  s.bridge = undefined;
  s.platform = undefined;
  s.shutdownWait = undefined;
  await b?.terminate();
}
