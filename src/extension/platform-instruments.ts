// The platform metrics' instruments: names, units, buckets (see the table below).
import type { Counter, Histogram, Meter } from '@opentelemetry/api';

export const MIB = 1024 * 1024;

// Explicit bucket boundaries: the SDK's default ones are made for milliseconds.
const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60, 300, 900];
const BYTES_BUCKETS = [64, 128, 256, 512, 1024, 2048, 4096, 8192].map((m) => m * MIB);
const MIB_BUCKETS = [64, 128, 256, 512, 1024, 2048, 4096, 8192];
const PRODUCED_BUCKETS = [1024, 16 * 1024, 256 * 1024, MIB, 6 * MIB, 20 * MIB];

/**
 * The metrics this module records (names, instruments, UCUM units):
 *
 * | name | instrument | unit | from |
 * |---|---|---|---|
 * | `faas.invocations` | counter | `{invocation}` | each `platform.report` |
 * | `faas.errors` | counter | `{error}` | a report with `errorType`, or status `error`/`failure` (attribute `error.type`) |
 * | `faas.timeouts` | counter | `{timeout}` | a report with status `timeout`, or the deadline guard firing |
 * | `faas.coldstarts` | counter | `{coldstart}` | a report carrying `initDurationMs` |
 * | `faas.invoke_duration` | histogram | `s` | `platform.runtimeDone` `metrics.durationMs` (the report's when there was none) |
 * | `faas.init_duration` | histogram | `s` | `platform.initReport` `metrics.durationMs` (else the report's `initDurationMs`) |
 * | `faas.mem_usage` | histogram | `By` | report `maxMemoryUsedMB` × 1048576 |
 * | `aws.lambda.billed_duration` | histogram | `s` | report `billedDurationMs` |
 * | `aws.lambda.max_memory_used` | histogram | `MiBy` | report `maxMemoryUsedMB` (Lambda's "MB" are MiB) |
 * | `aws.lambda.response_latency` | histogram | `s` | runtimeDone span `responseLatency` |
 * | `aws.lambda.extension_overhead` | histogram | `s` | report span `extensionOverhead` |
 * | `aws.lambda.produced_bytes` | histogram | `By` | runtimeDone `metrics.producedBytes` |
 *
 * A handler that throws is reported by Lambda with `status: success` and an `errorType`:
 * `errorType` decides, not `status`. `error.type` keeps at most 20 distinct values of at most
 * 128 characters (the rest: `_OTHER`).
 *
 * Only invokes this process handled count, each once: a `platform.runtimeDone` or
 * `platform.report` for a request id this process did not handle (or whose report was already
 * counted) is dropped. Lambda's own reports always qualify: an invoke ends in this process
 * before Lambda writes its report. Values Lambda cannot produce (a duration over 16 min, a
 * memory size outside 128..10240 MB, ...) are dropped by the listener.
 */
export const PLATFORM_METRICS = [
  'faas.invocations',
  'faas.errors',
  'faas.timeouts',
  'faas.coldstarts',
  'faas.invoke_duration',
  'faas.init_duration',
  'faas.mem_usage',
  'aws.lambda.billed_duration',
  'aws.lambda.max_memory_used',
  'aws.lambda.response_latency',
  'aws.lambda.extension_overhead',
  'aws.lambda.produced_bytes',
] as const;

export interface Instruments {
  invocations: Counter;
  errors: Counter;
  timeouts: Counter;
  coldstarts: Counter;
  invokeDuration: Histogram;
  initDuration: Histogram;
  memUsage: Histogram;
  billed: Histogram;
  maxMemory: Histogram;
  responseLatency: Histogram;
  extensionOverhead: Histogram;
  producedBytes: Histogram;
}

export function create(meter: Meter): Instruments {
  const histogram = (name: string, unit: string, buckets: number[], description: string) =>
    meter.createHistogram(name, { unit, description, advice: { explicitBucketBoundaries: buckets } });
  const seconds = (name: string, description: string) => histogram(name, 's', SECONDS_BUCKETS, description);
  return {
    invocations: meter.createCounter('faas.invocations', { unit: '{invocation}', description: 'Invocations, from the platform reports' }),
    errors: meter.createCounter('faas.errors', { unit: '{error}', description: 'Invocations that failed' }),
    timeouts: meter.createCounter('faas.timeouts', { unit: '{timeout}', description: 'Invocations that timed out' }),
    coldstarts: meter.createCounter('faas.coldstarts', { unit: '{coldstart}', description: 'Invocations that started a new environment' }),
    invokeDuration: seconds('faas.invoke_duration', "Duration of the function's code"),
    initDuration: seconds('faas.init_duration', 'Duration of the init phase'),
    memUsage: histogram('faas.mem_usage', 'By', BYTES_BUCKETS, 'Maximum memory used per invocation'),
    billed: seconds('aws.lambda.billed_duration', 'Billed duration of the invocation'),
    maxMemory: histogram('aws.lambda.max_memory_used', 'MiBy', MIB_BUCKETS, 'Maximum memory used per invocation, as Lambda reports it'),
    responseLatency: seconds('aws.lambda.response_latency', 'From the event handed over to the first response byte'),
    extensionOverhead: seconds('aws.lambda.extension_overhead', 'Time extensions kept the invocation open after the response'),
    producedBytes: histogram('aws.lambda.produced_bytes', 'By', PRODUCED_BUCKETS, 'Size of the response'),
  };
}
