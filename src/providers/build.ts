// The providers of setupTelemetry(), built synchronously from the loaded SDK: one builder per
// signal, each with its reliable exporter, the Lambda resource and the limits from env.
import type { Resource } from '@opentelemetry/resources';
import { envInt } from '../options.js';
import { pendingCounter } from './counting.js';
import { buildExporter, deltaSelectors, exporterKind, type ExporterConfig } from './exporters.js';
import { logRecordLimitsFromEnv, spanLimitsFromEnv } from './limits.js';
import { samplerFromEnv } from './sampler.js';
import type { LogSdk, MetricSdk, TraceSdk } from './sdk-load.js';
import { queueDropCounter } from './self-observe.js';

/**
 * The processors' own export timeout: the reliable exporter bounds every attempt by the flush
 * budget and answers the processor once the batch is delivered or kept, so this only guards
 * against an exporter that never answers.
 */
const PROCESSOR_EXPORT_TIMEOUT_MS = 30_000;

export interface BuildContext {
  env: NodeJS.ProcessEnv;
  resource: Resource;
  config: (signal: 'traces' | 'metrics' | 'logs') => ExporterConfig;
  lazies: Array<{ preload(): void }>;
}

export function buildTracerProvider(sdk: TraceSdk, ctx: BuildContext) {
  const { env } = ctx;
  const exporter = buildExporter('traces', exporterKind('traces', env), ctx.config('traces'), ctx.lazies);
  const spanProcessors = [pendingCounter('traces') as import('@opentelemetry/sdk-trace').SpanProcessor];
  if (exporter) {
    spanProcessors.push(
      new sdk.BatchSpanProcessor({
        exporter,
        maxQueueSize: envInt('OTEL_BSP_MAX_QUEUE_SIZE', 2048, env),
        maxExportBatchSize: envInt('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512, env),
        scheduledDelayMillis: envInt('OTEL_BSP_SCHEDULE_DELAY', 5000, env),
        exportTimeoutMillis: PROCESSOR_EXPORT_TIMEOUT_MS,
        selfObsMeterProvider: queueDropCounter('traces'),
      }),
    );
  }
  return new sdk.TracerProvider({
    resource: ctx.resource,
    sampler: samplerFromEnv(sdk, env),
    spanLimits: spanLimitsFromEnv(env),
    forceFlushTimeoutMillis: PROCESSOR_EXPORT_TIMEOUT_MS,
    spanProcessors,
  });
}

export function buildMeterProvider(sdk: MetricSdk, ctx: BuildContext, intervalMs: number | undefined) {
  const { env } = ctx;
  const config = ctx.config('metrics');
  const exporter = buildExporter('metrics', exporterKind('metrics', env), config, ctx.lazies, deltaSelectors(sdk));
  const interval = Math.max(2, intervalMs ?? envInt('OTEL_METRIC_EXPORT_INTERVAL', 60_000, env));
  const readers = exporter
    ? [
        new sdk.PeriodicExportingMetricReader({
          exporter,
          exportIntervalMillis: interval,
          exportTimeoutMillis: Math.min(PROCESSOR_EXPORT_TIMEOUT_MS, interval - 1),
        }),
      ]
    : [];
  return new sdk.MeterProvider({ resource: ctx.resource, readers });
}

export function buildLoggerProvider(sdk: LogSdk, ctx: BuildContext) {
  const { env } = ctx;
  const exporter = buildExporter('logs', exporterKind('logs', env), ctx.config('logs'), ctx.lazies);
  const processors = [pendingCounter('logs') as unknown as import('@opentelemetry/sdk-logs').LogRecordProcessor];
  if (exporter) {
    processors.push(
      new sdk.BatchLogRecordProcessor({
        exporter,
        maxQueueSize: envInt('OTEL_BLRP_MAX_QUEUE_SIZE', 2048, env),
        maxExportBatchSize: envInt('OTEL_BLRP_MAX_EXPORT_BATCH_SIZE', 512, env),
        scheduledDelayMillis: envInt('OTEL_BLRP_SCHEDULE_DELAY', 1000, env),
        exportTimeoutMillis: PROCESSOR_EXPORT_TIMEOUT_MS,
        selfObsMeterProvider: queueDropCounter('logs'),
      }),
    );
  }
  return new sdk.LoggerProvider({ resource: ctx.resource, logRecordLimits: logRecordLimitsFromEnv(env), processors });
}
