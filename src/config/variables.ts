// Every environment variable the library reads, in one table: name, type, default and range.
// The resolvers read through it; the README's table is written from it and variable-docs.ts (what
// each means, kept out of the runtime bundle); the configuration test walks it. Dependency-free.
import { envBool, envEnum, envInt, envList, envString, type Env } from './env.js';

/** A boolean variable. */
export interface BoolVar { kind: 'bool'; name: string; default: boolean }
/** A whole-number variable with its allowed range. */
export interface IntVar { kind: 'int'; name: string; default: number; min: number; max: number; forbidden?: readonly number[] }
/** One of a set of values. */
export interface EnumVar<T extends string = string> { kind: 'enum'; name: string; values: readonly T[]; default?: T }
/** A comma-separated list. */
export interface ListVar { kind: 'list'; name: string; default?: readonly string[] }
/** A free string. */
export interface StringVar { kind: 'string'; name: string; default?: string }

/** Any variable of the table. */
export type EnvVar = BoolVar | IntVar | EnumVar | ListVar | StringVar;

/** Flush modes (see the README's "Flush modes"). */
export const FLUSH_MODES = ['sync', 'after-response', 'periodic', 'adaptive', 'background'] as const;

/** The library's variables. `OTEL_*` ones follow the OpenTelemetry specification's meaning. */
export const VARS = {
  flushTimeoutMs: { kind: 'int', name: 'OTEL_LAMBDA_FLUSH_TIMEOUT_MS', default: 1000, min: 10, max: 900_000},
  flushMarginMs: { kind: 'int', name: 'OTEL_LAMBDA_FLUSH_MARGIN_MS', default: 50, min: 0, max: 10_000},
  deadlineMarginMs: { kind: 'int', name: 'OTEL_LAMBDA_DEADLINE_MARGIN_MS', default: 300, min: 0, max: 60_000},
  shutdownTimeoutMs: { kind: 'int', name: 'OTEL_LAMBDA_SHUTDOWN_TIMEOUT_MS', default: 400, min: 10, max: 10_000},
  handleSigterm: { kind: 'bool', name: 'OTEL_LAMBDA_HANDLE_SIGTERM', default: true},
  flushMode: { kind: 'enum', name: 'OTEL_LAMBDA_FLUSH_MODE', values: FLUSH_MODES},
  flushIntervalMs: { kind: 'int', name: 'OTEL_LAMBDA_FLUSH_INTERVAL_MS', default: 10_000, min: 100, max: 3_600_000},
  flushMaxPending: { kind: 'int', name: 'OTEL_LAMBDA_FLUSH_MAX_PENDING', default: 1000, min: 1, max: 1_000_000},
  extension: { kind: 'bool', name: 'OTEL_LAMBDA_EXTENSION', default: false},
  extensionName: { kind: 'string', name: 'OTEL_LAMBDA_EXTENSION_NAME', default: 'otel-lambda-flush'},
  registrationTimeoutMs: { kind: 'int', name: 'OTEL_LAMBDA_REGISTRATION_TIMEOUT_MS', default: 1000, min: 1, max: 10_000},
  telemetry: { kind: 'bool', name: 'OTEL_LAMBDA_TELEMETRY', default: true},
  telemetryHost: { kind: 'string', name: 'OTEL_LAMBDA_TELEMETRY_HOST', default: 'sandbox.localdomain'},
  telemetryPort: { kind: 'int', name: 'OTEL_LAMBDA_TELEMETRY_PORT', default: 0, min: 0, max: 65_535, forbidden: [9001]},
  forwardLogs: { kind: 'bool', name: 'OTEL_LAMBDA_FORWARD_LOGS', default: false},
  maxLinks: { kind: 'int', name: 'OTEL_LAMBDA_MAX_LINKS', default: 32, min: 0, max: 1000},
  maxAttributeLength: { kind: 'int', name: 'OTEL_LAMBDA_MAX_ATTRIBUTE_LENGTH', default: 4096, min: 16, max: 1_048_576},
  captureQuery: { kind: 'bool', name: 'OTEL_LAMBDA_CAPTURE_QUERY', default: false},
  captureRequestHeaders: { kind: 'list', name: 'OTEL_LAMBDA_CAPTURE_REQUEST_HEADERS'},
  acceptUnsampledXRay: { kind: 'bool', name: 'OTEL_LAMBDA_XRAY_ACCEPT_UNSAMPLED', default: false},
  propagators: { kind: 'list', name: 'OTEL_PROPAGATORS', default: ['tracecontext', 'baggage']},
  spanAttributeValueLengthLimit: { kind: 'int', name: 'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', default: 0, min: 0, max: Number.MAX_SAFE_INTEGER},
  attributeValueLengthLimit: { kind: 'int', name: 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', default: 0, min: 0, max: Number.MAX_SAFE_INTEGER},
  exportKeepMaxItems: { kind: 'int', name: 'OTEL_LAMBDA_EXPORT_KEEP_MAX_ITEMS', default: 2048, min: 0, max: 1_000_000},
  exportKeepMaxBytes: { kind: 'int', name: 'OTEL_LAMBDA_EXPORT_KEEP_MAX_BYTES', default: 4 * 1024 * 1024, min: 0, max: 1024 * 1024 * 1024},
  exportFallback: { kind: 'enum', name: 'OTEL_LAMBDA_EXPORT_FALLBACK', values: ['none', 'stdout'], default: 'none'},
  exportProbeMaxMs: { kind: 'int', name: 'OTEL_LAMBDA_EXPORT_PROBE_MAX_MS', default: 30_000, min: 1, max: 3_600_000},
  logLevel: { kind: 'enum', name: 'OTEL_LOG_LEVEL', values: ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all']},
  // Zero-code activation (src/zero-code).
  originalHandler: { kind: 'string', name: 'OTEL_LAMBDA_ORIGINAL_HANDLER'},
  // Standard OpenTelemetry variables setupTelemetry() reads (the specification's meaning).
  sdkDisabled: { kind: 'bool', name: 'OTEL_SDK_DISABLED', default: false},
  serviceName: { kind: 'string', name: 'OTEL_SERVICE_NAME'},
  resourceAttributes: { kind: 'list', name: 'OTEL_RESOURCE_ATTRIBUTES'},
  otlpEndpoint: { kind: 'string', name: 'OTEL_EXPORTER_OTLP_ENDPOINT', default: 'http://localhost:4318'},
  otlpTracesEndpoint: { kind: 'string', name: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'},
  otlpMetricsEndpoint: { kind: 'string', name: 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'},
  otlpLogsEndpoint: { kind: 'string', name: 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT'},
  otlpHeaders: { kind: 'list', name: 'OTEL_EXPORTER_OTLP_HEADERS'},
  tracesExporter: { kind: 'enum', name: 'OTEL_TRACES_EXPORTER', values: ['otlp', 'otlp/stdout', 'none'], default: 'otlp'},
  metricsExporter: { kind: 'enum', name: 'OTEL_METRICS_EXPORTER', values: ['otlp', 'otlp/stdout', 'none'], default: 'otlp'},
  logsExporter: { kind: 'enum', name: 'OTEL_LOGS_EXPORTER', values: ['otlp', 'otlp/stdout', 'none'], default: 'otlp'},
  tracesSampler: { kind: 'string', name: 'OTEL_TRACES_SAMPLER', default: 'parentbased_always_on'},
  tracesSamplerArg: { kind: 'string', name: 'OTEL_TRACES_SAMPLER_ARG'},
  metricExportInterval: { kind: 'int', name: 'OTEL_METRIC_EXPORT_INTERVAL', default: 60000, min: 1, max: 1_000_000},
  bspMaxQueueSize: { kind: 'int', name: 'OTEL_BSP_MAX_QUEUE_SIZE', default: 2048, min: 1, max: 1_000_000},
  bspScheduleDelay: { kind: 'int', name: 'OTEL_BSP_SCHEDULE_DELAY', default: 5000, min: 1, max: 1_000_000},
  bspMaxExportBatchSize: { kind: 'int', name: 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', default: 512, min: 1, max: 1_000_000},
  blrpMaxQueueSize: { kind: 'int', name: 'OTEL_BLRP_MAX_QUEUE_SIZE', default: 2048, min: 1, max: 1_000_000},
  blrpScheduleDelay: { kind: 'int', name: 'OTEL_BLRP_SCHEDULE_DELAY', default: 1000, min: 1, max: 1_000_000},
  blrpMaxExportBatchSize: { kind: 'int', name: 'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE', default: 512, min: 1, max: 1_000_000},
} as const satisfies Record<string, EnvVar>;

/** Reads one variable of the table by its rule. */
export function readVar(env: Env, v: BoolVar): boolean;
export function readVar(env: Env, v: IntVar): number;
export function readVar<T extends string>(env: Env, v: EnumVar<T>): T | undefined;
export function readVar(env: Env, v: ListVar): readonly string[] | undefined;
export function readVar(env: Env, v: StringVar): string | undefined;
export function readVar(env: Env, v: EnvVar): unknown {
  switch (v.kind) {
    case 'bool':
      return envBool(env, v.name, v.default);
    case 'int':
      return envInt(env, v.name, v.default, v.min, v.max, v.forbidden);
    case 'enum':
      return envEnum(env, v.name, v.values, v.default);
    case 'list':
      return envList(env, v.name) ?? v.default;
    case 'string':
      return envString(env, v.name, v.default);
  }
}
