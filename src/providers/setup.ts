// setupTelemetry(): opt-in default providers from OTEL_* env vars, OTLP/HTTP (JSON) or stdout
// exporters behind the reliable exporter, Lambda resource, registered globally before it
// returns. The SDK is loaded when it is called, so importing otel-lambda-flush itself loads
// only @opentelemetry/api; the exporters load at their first export.
import { context, metrics, propagation, trace, type Attributes, type MeterProvider, type TracerProvider } from '@opentelemetry/api';
import type { LoggerProvider } from '@opentelemetry/api-logs';
import { warnOnce } from '../diag.js';
import { envBool } from '../config/env.js';
import { readVar, VARS } from '../config/variables.js';
import { registerOnMainThread } from '../extension/main-thread.js';
import { processState } from '../state.js';
import { buildLoggerProvider, buildMeterProvider, buildTracerProvider, type BuildContext } from './build.js';
import { setExportMetricsProvider } from './export-metrics.js';
import { exporterKind } from './exporters.js';
import { enableInstrumentations, validateInstrumentations, type InstrumentationLike } from './instrumentations.js';
import { resolveResourceAttributes } from './resource.js';
import { loadSdkSync, type Sdk } from './sdk-load.js';

/** Options of {@link setupTelemetry}. Each falls back to its OTEL_* env var. */
export interface SetupTelemetryOptions {
  /** `service.name`; beats OTEL_SERVICE_NAME. Default: OTEL_SERVICE_NAME, else the function name. */
  serviceName?: string;
  /** Extra resource attributes; beat OTEL_RESOURCE_ATTRIBUTES. */
  resourceAttributes?: Attributes;
  /** OTLP/HTTP base URL (`/v1/traces` etc. appended). Default: OTEL_EXPORTER_OTLP_ENDPOINT, else http://localhost:4318. */
  endpoint?: string;
  /** Extra HTTP headers on every export. Default: OTEL_EXPORTER_OTLP_HEADERS. */
  headers?: Record<string, string>;
  /**
   * Longest an export may take when no flush bounds it (the batch processors' own timers), in ms.
   * Within a flush, the flush budget bounds every attempt. Default: OTEL_LAMBDA_FLUSH_TIMEOUT_MS, else 1000.
   */
  exportTimeoutMs?: number;
  /** Which signals to set up. Default: all, minus those whose OTEL_{TRACES,METRICS,LOGS}_EXPORTER is `none`. */
  signals?: { traces?: boolean; metrics?: boolean; logs?: boolean };
  /** Metric export interval, in ms (flushes export too). Default: OTEL_METRIC_EXPORT_INTERVAL, else 60000. */
  metricExportIntervalMs?: number;
  /** Register providers, context manager and propagator globally. Default true. */
  registerGlobals?: boolean;
  /**
   * OpenTelemetry instrumentations to enable with these providers (e.g. `new AwsInstrumentation()`),
   * as `registerInstrumentations()` would. They patch modules loaded after this call; in an
   * esbuild bundle, keep the instrumented packages external (see the README).
   */
  instrumentations?: readonly InstrumentationLike[];
}

/** What {@link setupTelemetry} built. Providers are absent for signals that were not set up. */
export interface Telemetry {
  tracerProvider?: TracerProvider & { forceFlush(): Promise<void>; shutdown(): Promise<void> };
  meterProvider?: MeterProvider & { forceFlush(): Promise<void>; shutdown(): Promise<void> };
  loggerProvider?: LoggerProvider & { forceFlush(): Promise<void>; shutdown(): Promise<void> };
  /** Shuts down every provider built here. */
  shutdown(): Promise<void>;
}

/**
 * The promise setupTelemetry() returns. Awaiting it (or calling `then` / `catch` / `finally`)
 * first lets the extension, when `OTEL_LAMBDA_EXTENSION=true`, register from this thread: the
 * caller waits anyway, so it costs one local HTTP round trip instead of a worker thread's
 * start-up (src/extension/main-thread.ts). Derived promises are plain ones.
 */
class SetupPromise<T> extends Promise<T> {
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    const registering = registerOnMainThread();
    if (!registering) return super.then(onfulfilled, onrejected);
    return registering.then(() => super.then(onfulfilled, onrejected));
  }
}

/** `promise` as a {@link SetupPromise}; a rejection is marked handled (it was reported). */
function setupPromise(promise: Promise<Telemetry>): Promise<Telemetry> {
  const p = new SetupPromise<Telemetry>((resolve) => resolve(promise));
  // The native then: handling a rejection is not waiting for the extension.
  Promise.prototype.then.call(p, undefined, () => undefined);
  return p;
}

function parseHeaders(raw: string | undefined): Record<string, string> | undefined {
  if (!raw) return undefined;
  const out: Record<string, string> = {};
  for (const pair of raw.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    try {
      out[decodeURIComponent(pair.slice(0, eq).trim())] = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      warnOnce('env:OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_HEADERS has an entry that is not valid percent-encoding; ignored');
    }
  }
  return out;
}

function signalUrl(endpoint: string | undefined, path: string): string | undefined {
  return endpoint ? `${endpoint.replace(/\/+$/, '')}${path}` : undefined;
}

const PATHS = { traces: ['/v1/traces', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'], metrics: ['/v1/metrics', 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'], logs: ['/v1/logs', 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT'] } as const;

/**
 * Builds tracer, meter and logger providers from OTEL_* env vars — OTLP/HTTP (JSON) exporters
 * (delta temporality for metrics) or OTLP JSON lines on stdout (`OTEL_*_EXPORTER=otlp/stdout`),
 * each behind the reliable exporter (see `reliableExporter`) — with the Lambda resource and the span limits from env,
 * and registers them globally along with the AsyncLocalStorage context manager and the W3C
 * propagators.
 *
 * The providers are registered before it returns, so tracers and meters taken at module scope
 * work in CommonJS too; the exporters load at their first export. The returned promise is
 * already settled (awaiting it is optional), bundled or not (the SDK is loaded through literal
 * `require()` calls that bundlers inline). A second call returns the first call's promise.
 * With `OTEL_SDK_DISABLED=true` nothing is set up.
 *
 * With the extension (`OTEL_LAMBDA_EXTENSION=true`), awaiting it at the top level of an ES
 * module before wrapping the handler lets the extension register from the main thread while
 * module loading waits (one local HTTP round trip, no worker thread); without the await, or in
 * CommonJS, the wrapper registers it through a worker thread.
 *
 * @example
 * ```ts
 * import { setupTelemetry, withFlush } from 'otel-lambda-flush';
 *
 * // at module scope, before the handler runs; no await needed (ESM or CommonJS)
 * setupTelemetry({ serviceName: 'orders' });
 *
 * export const handler = withFlush(async (event: { id: string }) => ({ ok: event.id }));
 * ```
 * @throws TypeError when `options` (or `options.instrumentations`) has the wrong type.
 */
export function setupTelemetry(options: SetupTelemetryOptions = {}): Promise<Telemetry> {
  const state = processState();
  if (state.setup) return state.setup as Promise<Telemetry>;
  if (typeof options !== 'object' || options === null) throw new TypeError('otel-lambda-flush: setupTelemetry() options must be an object');
  const instrumentations = validateInstrumentations(options.instrumentations);
  const failed = (e: unknown): Promise<Telemetry> => {
    warnOnce('setup', `setupTelemetry() failed: ${e instanceof Error ? e.message : String(e)}`);
    const rejected = Promise.reject(e instanceof Error ? e : new Error(String(e)));
    rejected.catch(() => undefined); // reported above; an un-awaited call must not crash
    return rejected;
  };
  const env = process.env;
  let promise: Promise<Telemetry>;
  try {
    const want = wanted(options, env);
    const sdk = want && loadSdkSync(want);
    if (!want) promise = Promise.resolve({ shutdown: () => Promise.resolve() });
    else if (sdk) promise = Promise.resolve(build(sdk, options, instrumentations, env));
    // The literal requires (sdk-load.ts) are inlined by bundlers: only a missing package gets here.
    else promise = failed(new Error('the OpenTelemetry SDK packages cannot be found (install them, or bundle the function with them)'));
  } catch (e) {
    promise = failed(e);
  }
  state.setup = setupPromise(promise);
  return state.setup as Promise<Telemetry>;
}

/** The signals to set up; undefined with OTEL_SDK_DISABLED=true. */
function wanted(options: SetupTelemetryOptions, env: NodeJS.ProcessEnv): { traces: boolean; metrics: boolean; logs: boolean } | undefined {
  if (envBool(env, 'OTEL_SDK_DISABLED', false)) return undefined;
  return {
    traces: signalWanted('traces', options.signals?.traces, env),
    metrics: signalWanted('metrics', options.signals?.metrics, env),
    logs: signalWanted('logs', options.signals?.logs, env),
  };
}

function signalWanted(signal: 'traces' | 'metrics' | 'logs', option: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  return option ?? exporterKind(signal, env) !== 'none';
}

function build(sdk: Sdk, options: SetupTelemetryOptions, instrumentations: readonly InstrumentationLike[], env: NodeJS.ProcessEnv): Telemetry {
  const timeoutMillis = options.exportTimeoutMs ?? readVar(env, VARS.flushTimeoutMs);
  const endpoint = options.endpoint ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const headers = options.headers ?? parseHeaders(env.OTEL_EXPORTER_OTLP_HEADERS);
  const ctx: BuildContext = {
    env,
    resource: sdk.resources.defaultResource().merge(sdk.resources.resourceFromAttributes(resolveResourceAttributes(env, options.resourceAttributes, options.serviceName))),
    config: (signal) => {
      const [path, signalEnv] = PATHS[signal];
      const url = env[signalEnv] ? undefined : signalUrl(endpoint, path); // a signal-specific env URL wins over the base
      return { timeoutMillis, ...(url ? { url } : {}), ...(headers ? { headers } : {}) };
    },
    lazies: [],
  };

  const telemetry: Telemetry = { shutdown: async () => {} };
  if (sdk.trace) telemetry.tracerProvider = buildTracerProvider(sdk.trace, ctx);
  if (sdk.metrics) telemetry.meterProvider = buildMeterProvider(sdk.metrics, ctx, options.metricExportIntervalMs);
  if (sdk.logs) telemetry.loggerProvider = buildLoggerProvider(sdk.logs, ctx);

  // Load the exporters as soon as module loading is over: off the cold start (the runtime is
  // already waiting for its first event), but ready before the first flush needs them, so a
  // deadline-guard flush on a first invoke does not also pay for loading them.
  const preload = setTimeout(() => {
    for (const e of ctx.lazies) e.preload();
  }, 0);
  preload.unref?.();

  // These providers count their pending and in-flight items exactly: the flusher may skip
  // them when both are zero (src/flush/idle.ts).
  const counted = (processState().countedProviders ??= new WeakSet());
  if (telemetry.tracerProvider) counted.add(telemetry.tracerProvider);
  if (telemetry.loggerProvider) counted.add(telemetry.loggerProvider);
  if (telemetry.meterProvider) setExportMetricsProvider(telemetry.meterProvider);
  telemetry.shutdown = async () => {
    await Promise.allSettled([telemetry.tracerProvider?.shutdown(), telemetry.meterProvider?.shutdown(), telemetry.loggerProvider?.shutdown()]);
  };

  if (options.registerGlobals !== false) {
    context.setGlobalContextManager(new sdk.hooks.AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(
      new sdk.core.CompositePropagator({ propagators: [new sdk.core.W3CTraceContextPropagator(), new sdk.core.W3CBaggagePropagator()] }),
    );
    if (telemetry.tracerProvider) trace.setGlobalTracerProvider(telemetry.tracerProvider);
    if (telemetry.meterProvider) metrics.setGlobalMeterProvider(telemetry.meterProvider);
    if (telemetry.loggerProvider) sdk.apiLogs.logs.setGlobalLoggerProvider(telemetry.loggerProvider);
  }
  enableInstrumentations(instrumentations, telemetry);
  return telemetry;
}
