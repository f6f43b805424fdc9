// Options of withFlush() / otelFlush(), validated and resolved with the environment in one
// place. Precedence: an option given in code wins over its env var, which wins over the default
// (the OpenTelemetry SDK rule: env vars are defaults for what code leaves unset).
import type { Context as OtelContext, MeterProvider, Span, SpanContext, TracerProvider } from '@opentelemetry/api';
import type { LoggerProvider } from '@opentelemetry/api-logs';
import type { Context as LambdaContext } from 'aws-lambda';
import type { FlushOutcome } from '../outcome.js';
import type { Env } from './env.js';
import { resolveExtensionOptions, type ExtensionOptions, type ResolvedExtensionOptions } from './extension.js';
import { resolvePropagators } from './propagators.js';
import { fail, isObject, optBool, optFn, optInt, optProvider, optStrings, rejectUnknown } from './validate.js';
import { FLUSH_MODES, readVar, VARS } from './variables.js';

/** How the flush of an invoke is scheduled. See the README's "Flush modes". */
export type FlushMode = (typeof FLUSH_MODES)[number];

/** Flush scheduling options. */
export interface FlushOptions {
  /**
   * `sync` flushes before the result is returned; `after-response`, `periodic` and `adaptive`
   * need the extension; `background` never flushes on the invoke path (for environments that
   * are never frozen). Env `OTEL_LAMBDA_FLUSH_MODE`. Default `sync`, `adaptive` when the
   * extension is enabled, `background` on Lambda Managed Instances (`AWS_LAMBDA_MAX_CONCURRENCY` set).
   */
  mode?: FlushMode;
  /** `periodic` / `adaptive` / `background`: longest time between flushes, in ms. Env `OTEL_LAMBDA_FLUSH_INTERVAL_MS`. Default 10000 (1000 for `background`). */
  intervalMs?: number;
  /** `periodic` / `adaptive` / `background`: flush when more items than this are pending. Env `OTEL_LAMBDA_FLUSH_MAX_PENDING`. Default 1000. */
  maxPending?: number;
}

/** What `requestHook` receives. */
export interface RequestHookInfo {
  event: unknown;
  context: LambdaContext;
}

/** What `responseHook` receives: `error` is set when the handler failed. */
export interface ResponseHookInfo extends RequestHookInfo {
  result?: unknown;
  error?: unknown;
}

/**
 * Replaces the built-in parent-context extraction: its result is the parent of the invocation
 * span. It must return an OpenTelemetry `Context` (or `undefined` for no parent) synchronously;
 * anything else is ignored with one warning and the built-in extraction applies.
 */
export type ParentExtractor = (event: unknown, context: LambdaContext) => OtelContext | undefined;

/**
 * Finds the upstream context of a batch record that the built-in rules do not cover (e.g. a
 * trace context your producer put inside Kinesis data). Called for records where no built-in
 * context was found; may return `undefined`. Errors are ignored (one warning).
 */
export type RecordContextFinder = (record: unknown, source: string) => SpanContext | undefined;

/** Options of `withFlush(handler, options)` and `otelFlush(options)`. */
export interface OtelLambdaOptions {
  /** Tracer provider to create the invocation span with and to flush. Default: the global one. */
  tracerProvider?: TracerProvider;
  /** Meter provider to flush. Default: the global one. */
  meterProvider?: MeterProvider;
  /** Logger provider to flush. Default: the global one (`@opentelemetry/api-logs`). */
  loggerProvider?: LoggerProvider;
  /**
   * Longest a flush may take, in ms (10–900000). The real bound of each flush is
   * `min(flushTimeoutMs, remainingTime - flushMarginMs)`. Env `OTEL_LAMBDA_FLUSH_TIMEOUT_MS`. Default 1000.
   */
  flushTimeoutMs?: number;
  /** Time kept free before the deadline when a flush is bounded, in ms (0–10000). Env `OTEL_LAMBDA_FLUSH_MARGIN_MS`. Default 50. */
  flushMarginMs?: number;
  /**
   * A handler still running this many ms before its deadline gets its span (and its open child
   * spans) ended with a timeout error and flushed, so the timeout is visible before Lambda kills
   * the process. `0` disables the guard. A margin at or above an invoke's whole time is reduced
   * to a tenth of it (one warning). Env `OTEL_LAMBDA_DEADLINE_MARGIN_MS`. Default 300.
   */
  deadlineMarginMs?: number;
  /** Flush and shut the providers down on SIGTERM. Env `OTEL_LAMBDA_HANDLE_SIGTERM`. Default true. */
  handleSigterm?: boolean;
  /** Budget of the SIGTERM flush + shutdown, in ms (Lambda gives about 500). Env `OTEL_LAMBDA_SHUTDOWN_TIMEOUT_MS`. Default 400. */
  shutdownTimeoutMs?: number;
  /** Called after the invocation span started, before the handler runs. May be async; failures are warned once and never change the result. */
  requestHook?: (span: Span, info: RequestHookInfo) => void | Promise<void>;
  /** Called before the invocation span ends. May be async (not awaited); failures are warned once and never change the result. */
  responseHook?: (span: Span, info: ResponseHookInfo) => void | Promise<void>;
  /** Called with the outcome of every flush. May be async (not awaited); failures are warned once. */
  onFlush?: (outcome: FlushOutcome) => void | Promise<void>;
  /** Flush scheduling. */
  flush?: FlushOptions;
  /** Run the in-process internal extension. Env `OTEL_LAMBDA_EXTENSION`. Default false. */
  extension?: boolean | ExtensionOptions;
  /** Most span links per invocation (batch triggers). Env `OTEL_LAMBDA_MAX_LINKS`. Default 32. */
  maxLinks?: number;
  /**
   * Longest value the library derives from an event (url.path, user agent, span names...), in
   * characters. Env `OTEL_LAMBDA_MAX_ATTRIBUTE_LENGTH`. Default 4096, or
   * `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT` when that is smaller.
   */
  maxAttributeLength?: number;
  /** Replaces the built-in parent-context extraction. See {@link ParentExtractor}. */
  extractor?: ParentExtractor;
  /** Record `url.query` for HTTP triggers, credential-like values `REDACTED`. Env `OTEL_LAMBDA_CAPTURE_QUERY`. Default false. */
  captureQuery?: boolean;
  /** Request headers to record as `http.request.header.<name>`; credential headers always `REDACTED`. Env `OTEL_LAMBDA_CAPTURE_REQUEST_HEADERS`. Default none. */
  captureRequestHeaders?: readonly string[];
  /** Finds a batch record's upstream context where the built-in rules find none. See {@link RecordContextFinder}. */
  recordContext?: RecordContextFinder;
  /** Use an X-Ray parent even when it says `Sampled=0`. Env `OTEL_LAMBDA_XRAY_ACCEPT_UNSAMPLED`. Default false. */
  acceptUnsampledXRay?: boolean;
  /** Propagator names (`tracecontext`, `baggage`, `xray`, `xray-lambda`, `none`). Default: `OTEL_PROPAGATORS`, else `tracecontext,baggage`. Unknown names warn once and are ignored. */
  propagators?: readonly string[];
}

/** Options after validation, env vars and defaults: what the rest of the library is handed. */
export interface ResolvedOptions {
  readonly tracerProvider?: TracerProvider;
  readonly meterProvider?: MeterProvider;
  readonly loggerProvider?: LoggerProvider;
  readonly flushTimeoutMs: number;
  readonly flushMarginMs: number;
  readonly deadlineMarginMs: number;
  readonly handleSigterm: boolean;
  readonly shutdownTimeoutMs: number;
  readonly requestHook?: OtelLambdaOptions['requestHook'];
  readonly responseHook?: OtelLambdaOptions['responseHook'];
  readonly onFlush?: OtelLambdaOptions['onFlush'];
  readonly flush: Readonly<Required<FlushOptions>>;
  /** `false` when the extension is off; else fully resolved. */
  readonly extension: false | ResolvedExtensionOptions;
  readonly maxLinks: number;
  readonly maxAttributeLength: number;
  readonly extractor?: ParentExtractor;
  readonly captureQuery: boolean;
  readonly captureRequestHeaders?: readonly string[];
  readonly recordContext?: RecordContextFinder;
  readonly acceptUnsampledXRay: boolean;
  /** Known propagator names, lower-cased, resolved once so no invoke reads the env. */
  readonly propagators: readonly string[];
  /** Lambda Managed Instances (`AWS_LAMBDA_MAX_CONCURRENCY` set): invokes overlap in one thread. */
  readonly concurrent: boolean;
}

const KNOWN = new Set([
  'tracerProvider', 'meterProvider', 'loggerProvider', 'flushTimeoutMs', 'flushMarginMs',
  'deadlineMarginMs', 'handleSigterm', 'shutdownTimeoutMs', 'requestHook', 'responseHook',
  'onFlush', 'flush', 'extension', 'maxLinks', 'maxAttributeLength', 'extractor', 'captureQuery',
  'captureRequestHeaders', 'recordContext', 'acceptUnsampledXRay', 'propagators',
]);
const FLUSH_KEYS = new Set(['mode', 'intervalMs', 'maxPending']);

/** Whether the extension is wanted (option, else `OTEL_LAMBDA_EXTENSION`). */
export function extensionWanted(value: unknown, env: Env): boolean {
  return value === undefined ? readVar(env, VARS.extension) : value !== false;
}

/** Default interval of the `background` mode, in ms: what an environment's end without SIGTERM can lose. */
export const BACKGROUND_INTERVAL_MS = 1000;

/** Lambda Managed Instances (`AWS_LAMBDA_MAX_CONCURRENCY` set): invokes overlap, nothing is frozen. */
function concurrentEnv(env: Env): boolean {
  return (env.AWS_LAMBDA_MAX_CONCURRENCY ?? '').trim() !== '';
}

function resolveFlush(f: Record<string, unknown>, extension: boolean, env: Env): Required<FlushOptions> {
  rejectUnknown(f, FLUSH_KEYS, 'flush.');
  if (f.mode !== undefined && !(FLUSH_MODES as readonly unknown[]).includes(f.mode)) fail('flush.mode', `one of ${FLUSH_MODES.join(', ')}`, f.mode);
  // Never frozen (Managed Instances): no response waits for a flush.
  const mode = (f.mode as FlushMode | undefined) ?? readVar(env, VARS.flushMode) ?? (concurrentEnv(env) ? 'background' : extension ? 'adaptive' : 'sync');
  const intervalSet = f.intervalMs !== undefined || env[VARS.flushIntervalMs.name] !== undefined;
  return {
    mode,
    intervalMs: optInt(f, 'intervalMs', VARS.flushIntervalMs, 'flush.intervalMs') ?? (!intervalSet && mode === 'background' ? BACKGROUND_INTERVAL_MS : readVar(env, VARS.flushIntervalMs)),
    maxPending: optInt(f, 'maxPending', VARS.flushMaxPending, 'flush.maxPending') ?? readVar(env, VARS.flushMaxPending),
  };
}

/**
 * The cap of event-derived values: the option, else its env var; lowered (never raised) by the
 * SDK's own limit, `OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT` else `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`
 * as the SDK reads them (0 = unset). The library's cut never splits a surrogate pair; the SDK's may.
 */
function resolveMaxAttributeLength(o: Record<string, unknown>, env: Env): number {
  const own = optInt(o, 'maxAttributeLength', VARS.maxAttributeLength) ?? readVar(env, VARS.maxAttributeLength);
  const sdk = readVar(env, VARS.spanAttributeValueLengthLimit) || readVar(env, VARS.attributeValueLengthLimit);
  return sdk > 0 ? Math.min(own, sdk) : own;
}

/**
 * Validates options (a wrong type or an unknown key throws a `TypeError` naming the option;
 * an out-of-range number warns once and is clamped) and resolves env vars and defaults.
 */
export function resolveOptions(input: OtelLambdaOptions | undefined, env: Env = process.env): ResolvedOptions {
  if (input !== undefined && !isObject(input)) fail('options', 'an object', input);
  const o = (input ?? {}) as Record<string, unknown>;
  rejectUnknown(o, KNOWN);
  const flushIn = o.flush;
  if (flushIn !== undefined && !isObject(flushIn)) fail('flush', 'an object', flushIn);
  const ext = o.extension;
  if (ext !== undefined && typeof ext !== 'boolean' && !isObject(ext)) fail('extension', 'a boolean or an object', ext);
  const extension = extensionWanted(ext, env) ? resolveExtensionOptions(isObject(ext) ? (ext as ExtensionOptions) : true, env) : false;
  const headers = optStrings(o, 'captureRequestHeaders') ?? readVar(env, VARS.captureRequestHeaders);
  return {
    tracerProvider: optProvider<TracerProvider>(o, 'tracerProvider', 'getTracer'),
    meterProvider: optProvider<MeterProvider>(o, 'meterProvider', 'getMeter'),
    loggerProvider: optProvider<LoggerProvider>(o, 'loggerProvider', 'getLogger'),
    flushTimeoutMs: optInt(o, 'flushTimeoutMs', VARS.flushTimeoutMs) ?? readVar(env, VARS.flushTimeoutMs),
    flushMarginMs: optInt(o, 'flushMarginMs', VARS.flushMarginMs) ?? readVar(env, VARS.flushMarginMs),
    deadlineMarginMs: optInt(o, 'deadlineMarginMs', VARS.deadlineMarginMs) ?? readVar(env, VARS.deadlineMarginMs),
    handleSigterm: optBool(o, 'handleSigterm') ?? readVar(env, VARS.handleSigterm),
    shutdownTimeoutMs: optInt(o, 'shutdownTimeoutMs', VARS.shutdownTimeoutMs) ?? readVar(env, VARS.shutdownTimeoutMs),
    requestHook: optFn(o, 'requestHook'),
    responseHook: optFn(o, 'responseHook'),
    onFlush: optFn(o, 'onFlush'),
    flush: resolveFlush((flushIn ?? {}) as Record<string, unknown>, extension !== false, env),
    extension,
    maxLinks: optInt(o, 'maxLinks', VARS.maxLinks) ?? readVar(env, VARS.maxLinks),
    maxAttributeLength: resolveMaxAttributeLength(o, env),
    extractor: optFn(o, 'extractor'),
    captureQuery: optBool(o, 'captureQuery') ?? readVar(env, VARS.captureQuery),
    ...(headers !== undefined ? { captureRequestHeaders: headers } : {}),
    recordContext: optFn(o, 'recordContext'),
    acceptUnsampledXRay: optBool(o, 'acceptUnsampledXRay') ?? readVar(env, VARS.acceptUnsampledXRay),
    propagators: resolvePropagators(optStrings(o, 'propagators'), env),
    concurrent: concurrentEnv(env),
  };
}
