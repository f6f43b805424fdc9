// Every environment variable the library reads, in one table: name, type, default, range and
// what it does. The resolvers read through it, the README's table is written from it, and the
// configuration test walks it. Dependency-free.
import { envBool, envEnum, envInt, envList, envString, type Env } from './env.js';

/** A boolean variable. */
export interface BoolVar { kind: 'bool'; name: string; default: boolean; doc: string }
/** A whole-number variable with its allowed range. */
export interface IntVar { kind: 'int'; name: string; default: number; min: number; max: number; forbidden?: readonly number[]; doc: string }
/** One of a set of values. */
export interface EnumVar<T extends string = string> { kind: 'enum'; name: string; values: readonly T[]; default?: T; doc: string }
/** A comma-separated list. */
export interface ListVar { kind: 'list'; name: string; doc: string; default?: readonly string[] }
/** A free string. */
export interface StringVar { kind: 'string'; name: string; default?: string; doc: string }

/** Any variable of the table. */
export type EnvVar = BoolVar | IntVar | EnumVar | ListVar | StringVar;

/** Flush modes (see the README's "Flush modes"). */
export const FLUSH_MODES = ['sync', 'after-response', 'periodic', 'adaptive'] as const;

/** The library's variables. `OTEL_*` ones follow the OpenTelemetry specification's meaning. */
export const VARS = {
  flushTimeoutMs: { kind: 'int', name: 'OTEL_LAMBDA_FLUSH_TIMEOUT_MS', default: 1000, min: 10, max: 900_000, doc: 'Longest a flush may take (ms); the real bound is `min(this, remaining time - flush margin)`.' },
  flushMarginMs: { kind: 'int', name: 'OTEL_LAMBDA_FLUSH_MARGIN_MS', default: 50, min: 0, max: 10_000, doc: 'Time kept free before the deadline when a flush is bounded (ms).' },
  deadlineMarginMs: { kind: 'int', name: 'OTEL_LAMBDA_DEADLINE_MARGIN_MS', default: 300, min: 0, max: 60_000, doc: 'A handler still running this long before its deadline gets its spans ended as a timeout and flushed (ms); 0 turns the guard off.' },
  shutdownTimeoutMs: { kind: 'int', name: 'OTEL_LAMBDA_SHUTDOWN_TIMEOUT_MS', default: 400, min: 10, max: 10_000, doc: 'Budget of the SIGTERM flush and shutdown (ms); Lambda gives about 500.' },
  handleSigterm: { kind: 'bool', name: 'OTEL_LAMBDA_HANDLE_SIGTERM', default: true, doc: 'Flush and shut the providers down on SIGTERM.' },
  flushMode: { kind: 'enum', name: 'OTEL_LAMBDA_FLUSH_MODE', values: FLUSH_MODES, doc: 'When to flush: `sync`, `after-response`, `periodic`, `adaptive`. Default `sync`, `adaptive` with the extension.' },
  flushIntervalMs: { kind: 'int', name: 'OTEL_LAMBDA_FLUSH_INTERVAL_MS', default: 10_000, min: 100, max: 3_600_000, doc: '`periodic` / `adaptive`: longest time between flushes (ms).' },
  flushMaxPending: { kind: 'int', name: 'OTEL_LAMBDA_FLUSH_MAX_PENDING', default: 1000, min: 1, max: 1_000_000, doc: '`periodic` / `adaptive`: flush when more spans / log records than this are pending.' },
  extension: { kind: 'bool', name: 'OTEL_LAMBDA_EXTENSION', default: false, doc: 'Run the in-process internal extension (after-response flush, SIGTERM, Telemetry API).' },
  extensionName: { kind: 'string', name: 'OTEL_LAMBDA_EXTENSION_NAME', default: 'otel-lambda-flush', doc: 'Name the extension registers with.' },
  registrationTimeoutMs: { kind: 'int', name: 'OTEL_LAMBDA_REGISTRATION_TIMEOUT_MS', default: 1000, min: 1, max: 10_000, doc: 'Longest module loading waits for the extension to register (ms); then it falls back to flushing before the response.' },
  telemetry: { kind: 'bool', name: 'OTEL_LAMBDA_TELEMETRY', default: true, doc: 'With the extension: subscribe to the Telemetry API (platform metrics and the init span).' },
  telemetryHost: { kind: 'string', name: 'OTEL_LAMBDA_TELEMETRY_HOST', default: 'sandbox.localdomain', doc: 'Telemetry API listener host as Lambda sees it (binds 127.0.0.1 where it does not resolve).' },
  telemetryPort: { kind: 'int', name: 'OTEL_LAMBDA_TELEMETRY_PORT', default: 0, min: 0, max: 65_535, forbidden: [9001], doc: 'Telemetry API listener port; 0 takes a free one.' },
  forwardLogs: { kind: 'bool', name: 'OTEL_LAMBDA_FORWARD_LOGS', default: false, doc: 'With the Telemetry API: forward `function` / `extension` log lines as OpenTelemetry logs.' },
  maxLinks: { kind: 'int', name: 'OTEL_LAMBDA_MAX_LINKS', default: 32, min: 0, max: 1000, doc: 'Most span links per invocation (batch triggers).' },
  maxAttributeLength: { kind: 'int', name: 'OTEL_LAMBDA_MAX_ATTRIBUTE_LENGTH', default: 4096, min: 16, max: 1_048_576, doc: 'Longest value the library derives from an event (url.path, user agent, ...), in characters; `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT` lowers it.' },
  captureQuery: { kind: 'bool', name: 'OTEL_LAMBDA_CAPTURE_QUERY', default: false, doc: 'Record `url.query` of HTTP triggers (credential-like values `REDACTED`).' },
  captureRequestHeaders: { kind: 'list', name: 'OTEL_LAMBDA_CAPTURE_REQUEST_HEADERS', doc: 'Request headers to record as `http.request.header.<name>` (credential headers `REDACTED`).' },
  acceptUnsampledXRay: { kind: 'bool', name: 'OTEL_LAMBDA_XRAY_ACCEPT_UNSAMPLED', default: false, doc: 'Use an X-Ray parent even when it says `Sampled=0`.' },
  propagators: { kind: 'list', name: 'OTEL_PROPAGATORS', default: ['tracecontext', 'baggage'], doc: 'Propagators: `tracecontext`, `baggage`, `xray`, `xray-lambda`, `none` (others are left to a registered global propagator).' },
  spanAttributeValueLengthLimit: { kind: 'int', name: 'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', default: 0, min: 0, max: Number.MAX_SAFE_INTEGER, doc: 'OpenTelemetry span attribute value length limit (read first, as the SDK does); when set it also caps the values the library derives from events.' },
  attributeValueLengthLimit: { kind: 'int', name: 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', default: 0, min: 0, max: Number.MAX_SAFE_INTEGER, doc: 'OpenTelemetry attribute value length limit; when set it also caps the values the library derives from events.' },
  exportKeepMaxItems: { kind: 'int', name: 'OTEL_LAMBDA_EXPORT_KEEP_MAX_ITEMS', default: 2048, min: 0, max: 1_000_000, doc: 'Most items per signal kept after a failed export for a later flush (oldest dropped first, counted); 0 keeps nothing.' },
  exportKeepMaxBytes: { kind: 'int', name: 'OTEL_LAMBDA_EXPORT_KEEP_MAX_BYTES', default: 4 * 1024 * 1024, min: 0, max: 1024 * 1024 * 1024, doc: 'Most (estimated) bytes per signal kept after a failed export.' },
  exportFallback: { kind: 'enum', name: 'OTEL_LAMBDA_EXPORT_FALLBACK', values: ['none', 'stdout'], default: 'none', doc: '`stdout`: write what the keep bounds would drop, and what is still kept at shutdown, as OTLP JSON lines on stdout.' },
  exportProbeMaxMs: { kind: 'int', name: 'OTEL_LAMBDA_EXPORT_PROBE_MAX_MS', default: 30_000, min: 1, max: 3_600_000, doc: 'Longest wait between probes of a collector that stopped answering (circuit breaker), in ms.' },
  logLevel: { kind: 'enum', name: 'OTEL_LOG_LEVEL', values: ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'], doc: 'Registers a console diag logger at this level when no diag logger is registered.' },
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
