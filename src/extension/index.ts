// The in-process internal extension, main-thread side: boot the worker early (at import),
// register late (when the handler is wrapped), and hand the flush side what it needs — a gate,
// per-invoke bookkeeping and the deadline hook — as one link. It never imports the flush side:
// the composer (src/compose.ts) joins the two.
import type { LoggerProvider } from '@opentelemetry/api-logs';
import type { SpanContext } from '@opentelemetry/api';
import type { ResolvedExtensionOptions } from '../config/extension.js';
import type { Env } from '../config/env.js';
import { warnOnce } from '../config/warnings.js';
import { warn } from '../diag.js';
import { addShutdownHook } from '../shutdown.js';
import type { ExtensionBridge } from './bridge.js';
import { bootWorker } from './early-boot.js';
import { forwardLogs } from './log-forwarder.js';
import { PlatformTelemetry, type PlatformProviders } from './platform-metrics.js';
import { slot } from './slot.js';
import type { WorkerConfig } from './worker/protocol.js';

/** Longest the SIGTERM path waits for the platform.report of the invokes that ended, in ms. */
export const LAST_REPORT_WAIT_MS = 150;

/** What the flush side gets from a running extension. */
export interface ExtensionLink {
  /** Holds each invoke until `done` (once registered for INVOKE); else `done` does nothing. */
  readonly gate: { readonly gating: boolean; done(requestId: string): void };
  /** Bookkeeping at each invoke end (last invoke id, the init span's parent). */
  observe(end: { requestId: string; spanContext?: SpanContext }): void;
  /** The deadline guard fired: count the timeout (no platform report will follow). */
  onDeadline(requestId: string): void;
}

/** The providers the platform metrics and forwarded logs go to (default: the global ones). */
export type LinkProviders = PlatformProviders & { loggerProvider?: LoggerProvider };

/** The worker configuration for these options and this environment; undefined outside Lambda. */
export function workerConfig(options: ResolvedExtensionOptions, env: Env, invokeWanted: boolean): WorkerConfig | undefined {
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

/** The warnings of `bridge` go to the warning channel. */
export function wireWarnings(bridge: ExtensionBridge): ExtensionBridge {
  // What the user must see in the first run (listener or subscription failed) goes to the
  // warning channel once; the rest (per-delivery problems) to the diag logger.
  bridge.onWarn = (m, once) => (once !== undefined ? warnOnce(`extension:${once}`, m) : warn(m));
  return bridge;
}

/**
 * The extension of this process: the one already started (the worker booted at import, or the
 * main thread's registration at `await setupTelemetry()`), else a worker booted now; undefined,
 * after one warning, when the worker cannot start.
 */
function bridgeOrWarn(env: Env): ExtensionBridge | undefined {
  const s = slot();
  if (s.bridge) return wireWarnings(s.bridge);
  if (s.bootError === undefined) {
    try {
      return wireWarnings(bootWorker(env));
    } catch (err) {
      // Remember the failure: later wraps fall back at once instead of trying a new Worker each time.
      s.bootError = err instanceof Error ? err.message : String(err);
    }
  }
  warnOnce('extension-failed', `extension worker could not start (${s.bootError}): flushing before the response`);
  return undefined;
}

/** Turns the bridge's Telemetry API events into metrics (once per process). */
function attachPlatform(bridge: ExtensionBridge, providers: LinkProviders, logs: boolean): void {
  const s = slot();
  if (s.platform) return;
  const platform = new PlatformTelemetry(providers);
  s.platform = platform;
  bridge.onTelemetry((events) => {
    platform.record(events);
    if (logs) forwardLogs(events, providers.loggerProvider);
  });
}

/**
 * Once per process: before the final flush at SIGTERM, wait (bounded) for the ended invokes'
 * platform.report, which Lambda only delivers after the invoke ended, so its metrics go out too.
 */
function installLastReportWait(bridge: ExtensionBridge): void {
  const s = slot();
  if (s.shutdownWait) return;
  s.shutdownWait = true;
  addShutdownHook(async (budgetMs) => {
    if (bridge.subscribed) await bridge.waitForReports(Math.min(LAST_REPORT_WAIT_MS, budgetMs));
  });
}

/**
 * Starts the extension for a wrapper (the end of module loading, before the runtime's first
 * `/next`): boots the worker if needed and sends it the configuration; the bounded wait for
 * registration runs in a microtask queued now, after the work already queued (such as
 * setupTelemetry()'s SDK loading, which then overlaps the worker's boot) and before the runtime
 * client can call its first `/next`. `invokeWanted` false registers for no event (SIGTERM and
 * the Telemetry API only). Returns undefined, after one warning, when the extension cannot run
 * here: the caller flushes before the response. Never throws.
 */
export function linkExtension(options: ResolvedExtensionOptions, invokeWanted: boolean, providers: LinkProviders, env: Env = process.env): ExtensionLink | undefined {
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
  const bridge = bridgeOrWarn(env);
  if (!bridge) return undefined;
  const registered = (ok: boolean): void => {
    if (!ok) warnOnce('extension-failed', `extension registration ${bridge.failure ?? 'failed'}: flushing before the response`);
    else if (bridge.subscribed) attachPlatform(bridge, providers, options.telemetry?.forwardLogs ?? false);
  };
  if (bridge.thread === 'main') {
    // Registered (or registering) at `await setupTelemetry()`, with the environment's settings.
    warnIfDifferent(bridge.sent, config);
    if (bridge.state === 'booting') {
      // then() was called but not awaited: module loading may end before Lambda answered, and
      // a registration that arrives after the runtime's first /next is refused (then flushed before the response).
      warnOnce('extension-not-awaited', 'the extension is registering from the main thread while the handler is wrapped: await setupTelemetry() before wrapping the handler, or registration may be refused');
    }
    bridge.hold();
    // Never blocks: this thread performs the registration (settled by now when it was awaited).
    void bridge.whenSettled(options.registrationTimeoutMs).then(registered);
  } else {
    bridge.start(config);
    queueMicrotask(() => registered(bridge.waitRegistered(options.registrationTimeoutMs)));
  }
  installLastReportWait(bridge);
  return {
    gate: bridge,
    observe(end) {
      bridge.invocationEnded(end.requestId);
      slot().platform?.invocationEnded(end.spanContext, end.requestId);
    },
    onDeadline(requestId) {
      slot().platform?.invocationTimedOut(requestId);
    },
  };
}

/** One warning when a wrapper asks for another extension than the one registered before it. */
function warnIfDifferent(sent: WorkerConfig | undefined, wanted: WorkerConfig): void {
  if (!sent) return;
  const key = (c: WorkerConfig) => JSON.stringify([c.name, c.telemetry ?? null, c.gateMarginMs]);
  if (key(sent) === key(wanted) && (sent.invoke || !wanted.invoke)) return;
  warnOnce(
    'extension-registered-early',
    'the extension registered at `await setupTelemetry()` with the settings from the environment (OTEL_LAMBDA_*); this wrapper\'s extension or flush-mode options differ and do not apply to it (wrap the handler before awaiting setupTelemetry(), or set them by environment)',
  );
}

/** Test seam: stops the worker and forgets it, so the next boot starts afresh. */
export async function resetExtensionForTests(): Promise<void> {
  const s = slot();
  const b = s.bridge;
  for (const k of Object.keys(s)) delete (s as Record<string, unknown>)[k];
  await b?.terminate();
}
