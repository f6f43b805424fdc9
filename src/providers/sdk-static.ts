// The SDK for bundlers (the package's dist/bundler build uses this module in place of
// sdk-load.ts; scripts/build.mjs): named imports of exactly what setupTelemetry() uses, so the
// bundler keeps only those parts of the SDK packages. Namespace requires kept everything,
// including the resource detectors, and an ES module bundle loads every Node built-in its parts
// import (child_process, crypto, os, fs, ...) before the function's first line runs. A function
// that never calls setupTelemetry() gets none of it (the packages are free of side effects).
import { logs } from '@opentelemetry/api-logs';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, AggregationType, InstrumentType, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import type { LogSdk, MetricSdk, Sdk, TraceSdk } from './sdk-load.js';

export type { LogSdk, MetricSdk, Sdk, TraceSdk } from './sdk-load.js';

/** The parts of each package setupTelemetry() reads (src/providers/*: `sdk.<package>.<name>`). */
const BASE = {
  resources: { defaultResource, resourceFromAttributes } as unknown as Sdk['resources'],
  core: { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } as unknown as Sdk['core'],
  hooks: { AsyncLocalStorageContextManager } as unknown as Sdk['hooks'],
  apiLogs: { logs } as unknown as Sdk['apiLogs'],
};
const TRACE = { AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider } as unknown as TraceSdk;
const METRICS = { AggregationTemporality, AggregationType, InstrumentType, MeterProvider, PeriodicExportingMetricReader } as unknown as MetricSdk;
const LOGS = { BatchLogRecordProcessor, LoggerProvider } as unknown as LogSdk;

/** Same contract as sdk-load.ts's: the SDK parts for the signals wanted (always found here). */
export function loadSdkSync(want: { traces: boolean; metrics: boolean; logs: boolean }): Sdk | undefined {
  return { ...BASE, ...(want.traces ? { trace: TRACE } : {}), ...(want.metrics ? { metrics: METRICS } : {}), ...(want.logs ? { logs: LOGS } : {}) };
}
