// setupTelemetry(): opt-in default providers from OTEL_* env vars, OTLP/HTTP (JSON) exporters,
// Lambda resource, registered globally. The SDK is imported dynamically here, so importing
// otel-lambda-flush itself loads only @opentelemetry/api.
import { context, metrics, propagation, trace, type Attributes, type MeterProvider, type TracerProvider } from '@opentelemetry/api';
import type { LoggerProvider } from '@opentelemetry/api-logs';
import { warnOnce } from '../diag.js';
import { envBool, envInt } from '../config/env.js';
import { readVar, VARS } from '../config/variables.js';
import { processState } from '../state.js';
import { countingExporter, pendingCounter } from './counting.js';
import { lazyExporter } from './lazy-exporter.js';
import { resolveResourceAttributes } from './resource.js';
import { samplerFromEnv } from './sampler.js';
import { OpenSpanProcessor } from '../open-spans.js';

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
  /** Exporter request timeout, in ms: the flush budget bounds the flush, this bounds the request. Default: OTEL_LAMBDA_FLUSH_TIMEOUT_MS, else 1000. */
  exportTimeoutMs?: number;
  /** Which signals to set up. Default: all, minus those whose OTEL_{TRACES,METRICS,LOGS}_EXPORTER is `none`. */
  signals?: { traces?: boolean; metrics?: boolean; logs?: boolean };
  /** Metric export interval, in ms (flushes export too). Default: OTEL_METRIC_EXPORT_INTERVAL, else 60000. */
  metricExportIntervalMs?: number;
  /** Register providers, context manager and propagator globally. Default true. */
  registerGlobals?: boolean;
}

/** What {@link setupTelemetry} built. Providers are absent for signals that were not set up. */
export interface Telemetry {
  tracerProvider?: TracerProvider & { forceFlush(): Promise<void>; shutdown(): Promise<void> };
  meterProvider?: MeterProvider & { forceFlush(): Promise<void>; shutdown(): Promise<void> };
  loggerProvider?: LoggerProvider & { forceFlush(): Promise<void>; shutdown(): Promise<void> };
  /** Shuts down every provider built here. */
  shutdown(): Promise<void>;
}

function signalEnabled(name: 'TRACES' | 'METRICS' | 'LOGS', option: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  if (option !== undefined) return option;
  const raw = env[`OTEL_${name}_EXPORTER`]?.trim().toLowerCase();
  if (raw === undefined || raw === '' || raw === 'otlp') return true;
  if (raw === 'none') return false;
  warnOnce(`env:OTEL_${name}_EXPORTER`, `OTEL_${name}_EXPORTER="${raw}" is not supported by setupTelemetry (otlp or none); using otlp`);
  return true;
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

/**
 * Builds tracer, meter and logger providers from OTEL_* env vars with OTLP/HTTP exporters
 * (delta temporality for metrics), the Lambda resource, and registers them globally along
 * with the AsyncLocalStorage context manager and the W3C propagators.
 *
 * Call it once at module load: `await setupTelemetry()` in ESM; in CommonJS call it without
 * awaiting, the first invoke waits for it. A second call returns the first call's promise.
 * With `OTEL_SDK_DISABLED=true` nothing is set up.
 */
export function setupTelemetry(options: SetupTelemetryOptions = {}): Promise<Telemetry> {
  const state = processState();
  if (state.setup) return state.setup as Promise<Telemetry>;
  if (typeof options !== 'object' || options === null) throw new TypeError('otel-lambda-flush: setupTelemetry() options must be an object');
  const promise = build(options, process.env);
  state.setup = promise;
  state.pendingSetup = promise;
  promise.then(
    () => {
      if (state.pendingSetup === promise) state.pendingSetup = undefined;
    },
    (e: unknown) => {
      if (state.pendingSetup === promise) state.pendingSetup = undefined;
      warnOnce('setup', `setupTelemetry() failed: ${e instanceof Error ? e.message : String(e)}`);
    },
  );
  return promise;
}

async function build(options: SetupTelemetryOptions, env: NodeJS.ProcessEnv): Promise<Telemetry> {
  if (envBool(env, 'OTEL_SDK_DISABLED', false)) return { shutdown: () => Promise.resolve() };
  const want = {
    traces: signalEnabled('TRACES', options.signals?.traces, env),
    metrics: signalEnabled('METRICS', options.signals?.metrics, env),
    logs: signalEnabled('LOGS', options.signals?.logs, env),
  };
  const timeoutMillis = options.exportTimeoutMs ?? readVar(env, VARS.flushTimeoutMs);
  const endpoint = options.endpoint ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const headers = options.headers ?? parseHeaders(env.OTEL_EXPORTER_OTLP_HEADERS);
  const exporterConfig = (path: string, signalEnv: string) => {
    const url = env[signalEnv] ? undefined : signalUrl(endpoint, path); // a signal-specific env URL wins over the base
    return { timeoutMillis, ...(url ? { url } : {}), ...(headers ? { headers } : {}) };
  };

  // Loaded in parallel, only for the signals wanted. The OTLP exporters load at their first
  // export (lazy-exporter.ts): they are the largest part of this, and init does not need them.
  const [resources, core, hooks, traceSdk, metricSdk, logSdk] = await Promise.all([
    import('@opentelemetry/resources'),
    import('@opentelemetry/core'),
    import('@opentelemetry/context-async-hooks'),
    want.traces ? import('@opentelemetry/sdk-trace') : undefined,
    want.metrics ? import('@opentelemetry/sdk-metrics') : undefined,
    want.logs ? import('@opentelemetry/sdk-logs') : undefined,
  ]);

  // The lazy exporters, preloaded once module loading is over (see below).
  const lazies: Array<{ preload(): void }> = [];
  const keep = <E extends { preload(): void }>(e: E): E => (lazies.push(e), e);

  const resource = resources.defaultResource().merge(resources.resourceFromAttributes(resolveResourceAttributes(env, options.resourceAttributes, options.serviceName)));
  const telemetry: Telemetry = { shutdown: async () => {} };

  if (traceSdk) {
    const config = exporterConfig('/v1/traces', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
    const exporter = countingExporter(
      'traces',
      keep(lazyExporter(async () => new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter(config))),
    );
    const processor = new traceSdk.BatchSpanProcessor({
      exporter,
      maxQueueSize: envInt(env, 'OTEL_BSP_MAX_QUEUE_SIZE', 2048, 1, 1_000_000),
      maxExportBatchSize: envInt(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512, 1, 1_000_000),
      scheduledDelayMillis: envInt(env, 'OTEL_BSP_SCHEDULE_DELAY', 5000, 1, 1_000_000),
      exportTimeoutMillis: timeoutMillis,
    });
    telemetry.tracerProvider = new traceSdk.TracerProvider({
      resource,
      sampler: samplerFromEnv(traceSdk, env),
      forceFlushTimeoutMillis: timeoutMillis,
      spanProcessors: [new OpenSpanProcessor(), pendingCounter('traces'), processor],
    });
  }
  if (metricSdk) {
    const config = exporterConfig('/v1/metrics', 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT');
    const exporter = countingExporter(
      'metrics',
      keep(lazyExporter(
        async () => {
          const m = await import('@opentelemetry/exporter-metrics-otlp-http');
          return new m.OTLPMetricExporter({ ...config, temporalityPreference: m.AggregationTemporalityPreference.DELTA });
        },
        // Read by the reader at construction, before any load: what OTLPMetricExporter does
        // with the delta preference and its default aggregation.
        deltaSelectors(metricSdk),
      )),
    );
    const interval = options.metricExportIntervalMs ?? envInt(env, 'OTEL_METRIC_EXPORT_INTERVAL', 60_000, 1, 1_000_000);
    const reader = new metricSdk.PeriodicExportingMetricReader({
      exporter,
      exportIntervalMillis: Math.max(interval, timeoutMillis + 1),
      exportTimeoutMillis: timeoutMillis,
    });
    telemetry.meterProvider = new metricSdk.MeterProvider({ resource, readers: [reader] });
  }
  if (logSdk) {
    const config = exporterConfig('/v1/logs', 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT');
    const exporter = countingExporter(
      'logs',
      keep(lazyExporter(async () => new (await import('@opentelemetry/exporter-logs-otlp-http')).OTLPLogExporter(config))),
    );
    telemetry.loggerProvider = new logSdk.LoggerProvider({
      resource,
      processors: [
        pendingCounter('logs') as never,
        new logSdk.BatchLogRecordProcessor({
          exporter,
          maxQueueSize: envInt(env, 'OTEL_BLRP_MAX_QUEUE_SIZE', 2048, 1, 1_000_000),
          maxExportBatchSize: envInt(env, 'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE', 512, 1, 1_000_000),
          scheduledDelayMillis: envInt(env, 'OTEL_BLRP_SCHEDULE_DELAY', 1000, 1, 1_000_000),
          exportTimeoutMillis: timeoutMillis,
        }),
      ],
    });
  }
  // Load the exporters as soon as module loading is over: off the cold start (the runtime is
  // already waiting for its first event), but ready before the first flush needs them, so a
  // deadline-guard flush on a first invoke does not also pay for loading them.
  const preload = setTimeout(() => {
    for (const e of lazies) e.preload();
  }, 0);
  preload.unref?.();

  // These providers count their pending and in-flight items exactly: the flusher may skip
  // them when both are zero (src/flush/idle.ts).
  const counted = (processState().countedProviders ??= new WeakSet());
  if (telemetry.tracerProvider) counted.add(telemetry.tracerProvider);
  if (telemetry.loggerProvider) counted.add(telemetry.loggerProvider);
  telemetry.shutdown = async () => {
    await Promise.allSettled([telemetry.tracerProvider?.shutdown(), telemetry.meterProvider?.shutdown(), telemetry.loggerProvider?.shutdown()]);
  };

  if (options.registerGlobals !== false) {
    context.setGlobalContextManager(new hooks.AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(
      new core.CompositePropagator({ propagators: [new core.W3CTraceContextPropagator(), new core.W3CBaggagePropagator()] }),
    );
    if (telemetry.tracerProvider) trace.setGlobalTracerProvider(telemetry.tracerProvider);
    if (telemetry.meterProvider) metrics.setGlobalMeterProvider(telemetry.meterProvider);
    if (telemetry.loggerProvider) {
      const { logs } = await import('@opentelemetry/api-logs');
      logs.setGlobalLoggerProvider(telemetry.loggerProvider);
    }
  }
  return telemetry;
}

type MetricSdk = typeof import('@opentelemetry/sdk-metrics');

/**
 * The OTLP metric exporter's selectors for the delta temporality preference: delta for
 * counters, histograms and gauges, cumulative for up-down counters; default aggregation.
 */
function deltaSelectors(sdk: MetricSdk) {
  const { AggregationTemporality, AggregationType, InstrumentType } = sdk;
  return {
    selectAggregationTemporality: (type: import('@opentelemetry/sdk-metrics').InstrumentType) =>
      type === InstrumentType.UP_DOWN_COUNTER || type === InstrumentType.OBSERVABLE_UP_DOWN_COUNTER
        ? AggregationTemporality.CUMULATIVE
        : AggregationTemporality.DELTA,
    selectAggregation: () => ({ type: AggregationType.DEFAULT }) as const,
  };
}
