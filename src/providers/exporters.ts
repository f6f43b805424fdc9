// The exporter of each signal: OTLP/HTTP (JSON) to the collector, or OTLP JSON lines on
// stdout, chosen by OTEL_{TRACES,METRICS,LOGS}_EXPORTER, always behind the reliable exporter
// (retries within the flush budget, failed batches kept for the next flush, counters). Both
// load at their first export; preload() starts that right after module loading.
import { warnOnce } from '../diag.js';
import type { Signal } from '../outcome.js';
import { lazyExporter, type LazyExporter, type LazyExporterTarget } from './lazy-exporter.js';
import { useSingleAttempts } from './otlp-attempt.js';
import { reliableExporter } from './reliable/exporter.js';
import { reliabilityFromEnv } from './reliable/options.js';
import type { MetricSdk } from './sdk-load.js';
import { stdoutExporter } from './stdout-exporter.js';

/** What an OTEL_*_EXPORTER variable selects. */
export type ExporterKind = 'otlp' | 'stdout' | 'none';

/** Names of the OTLP-JSON-on-stdout exporter: ours, and the spec's OTLP File exporter names. */
const STDOUT_NAMES = new Set(['otlp/stdout', 'otlp_stdout', 'otlp_file', 'otlp_file/development', 'experimental-otlp/stdout']);

const ENV_NAME: Record<Signal, string> = { traces: 'OTEL_TRACES_EXPORTER', metrics: 'OTEL_METRICS_EXPORTER', logs: 'OTEL_LOGS_EXPORTER' };

/** The exporter a signal's OTEL_*_EXPORTER selects (first known entry of a list); unknown → otlp with a warning. */
export function exporterKind(signal: Signal, env: NodeJS.ProcessEnv): ExporterKind {
  const name = ENV_NAME[signal];
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return 'otlp';
  for (const entry of raw.split(',').map((s) => s.trim())) {
    if (entry === 'otlp') return 'otlp';
    if (entry === 'none') return 'none';
    if (STDOUT_NAMES.has(entry)) return 'stdout';
  }
  warnOnce(`env:${name}`, `${name}="${raw}" is not supported by setupTelemetry (otlp, otlp/stdout or none); using otlp`);
  return 'otlp';
}

export interface ExporterConfig {
  timeoutMillis: number;
  url?: string;
  headers?: Record<string, string>;
}

type Loaded = LazyExporterTarget<any>;

async function loadOtlp(signal: Signal, config: ExporterConfig, timeout: () => number): Promise<Loaded> {
  let exporter: Loaded & object;
  if (signal === 'traces') exporter = new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter(config);
  else if (signal === 'logs') exporter = new (await import('@opentelemetry/exporter-logs-otlp-http')).OTLPLogExporter(config);
  else {
    const m = await import('@opentelemetry/exporter-metrics-otlp-http');
    exporter = new m.OTLPMetricExporter({ ...config, temporalityPreference: m.AggregationTemporalityPreference.DELTA });
  }
  useSingleAttempts(exporter, timeout);
  return exporter;
}

async function loadStdout(signal: Signal): Promise<Loaded> {
  const t = await import('@opentelemetry/otlp-transformer');
  if (signal === 'traces') return stdoutExporter(signal, t.JsonTraceSerializer);
  if (signal === 'logs') return stdoutExporter(signal, t.JsonLogsSerializer);
  return stdoutExporter(signal, t.JsonMetricsSerializer);
}

/**
 * The OTLP metric exporter's selectors for the delta temporality preference: delta for
 * counters, histograms and gauges, cumulative for up-down counters; default aggregation. The
 * reader reads them at construction, before the exporter is loaded.
 */
export function deltaSelectors(sdk: MetricSdk) {
  const { AggregationTemporality, AggregationType, InstrumentType } = sdk;
  return {
    selectAggregationTemporality: (type: import('@opentelemetry/sdk-metrics').InstrumentType) =>
      type === InstrumentType.UP_DOWN_COUNTER || type === InstrumentType.OBSERVABLE_UP_DOWN_COUNTER
        ? AggregationTemporality.CUMULATIVE
        : AggregationTemporality.DELTA,
    selectAggregation: () => ({ type: AggregationType.DEFAULT }) as const,
  };
}

/**
 * The reliable, lazily loaded exporter of `signal`; `lazies` collects what to preload.
 * Returns undefined for `none`.
 */
export function buildExporter(
  signal: Signal,
  kind: ExporterKind,
  config: ExporterConfig,
  lazies: Array<{ preload(): void }>,
  extra?: object,
): (LazyExporter<any> & object) | undefined {
  if (kind === 'none') return undefined;
  const settings = reliabilityFromEnv();
  let attemptTimeout = config.timeoutMillis;
  const inner = kind === 'stdout'
    ? lazyExporter(() => loadStdout(signal), extra)
    : lazyExporter(() => loadOtlp(signal, config, () => attemptTimeout), extra);
  lazies.push(inner);
  let fallback: LazyExporter<any> | undefined;
  if (kind === 'otlp' && settings.fallbackStdout) {
    fallback = lazyExporter(() => loadStdout(signal));
    lazies.push(fallback);
  }
  return reliableExporter(inner, {
    signal,
    timeoutMs: config.timeoutMillis,
    ...(fallback ? { fallback } : {}),
    setAttemptTimeout: (ms) => {
      attemptTimeout = ms;
    },
  });
}
