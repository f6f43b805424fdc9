// Options of withFlush() / otelFlush(), and the OTEL_LAMBDA_* env vars, validated and resolved
// in one place. Precedence: an option given in code wins over its env var, which wins over the
// default (the usual OpenTelemetry SDK rule: env vars are defaults for what code leaves unset).
import type { MeterProvider, Span, TracerProvider } from '@opentelemetry/api';
import type { LoggerProvider } from '@opentelemetry/api-logs';
import type { Context as LambdaContext } from 'aws-lambda';
import { warnOnce } from './diag.js';
import type { ExtensionOptions } from './extension/options.js';
import type { FlushOutcome } from './flush/types.js';
import { propagatorNames, type PropagationOptions } from './invocation/propagation.js';
import type { TriggerOptions } from './invocation/triggers/types.js';

/** How the flush of an invoke is scheduled. See the README's "Flush modes". */
export type FlushMode = 'sync' | 'after-response' | 'periodic' | 'adaptive';

/** Flush scheduling options. */
export interface FlushOptions {
  /**
   * `sync` flushes before the result is returned; the others need the extension.
   * Env `OTEL_LAMBDA_FLUSH_MODE`. Default `sync`, or `adaptive` when the extension is enabled.
   */
  mode?: FlushMode;
  /** `periodic` / `adaptive`: longest time between flushes, in ms. Env `OTEL_LAMBDA_FLUSH_INTERVAL_MS`. Default 10000. */
  intervalMs?: number;
  /** `periodic` / `adaptive`: flush when more items than this are pending. Env `OTEL_LAMBDA_FLUSH_MAX_PENDING`. Default 1000. */
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

/** Options of `withFlush(handler, options)` and `otelFlush(options)`. */
export interface OtelLambdaOptions {
  /** Tracer provider to create the invocation span with and to flush. Default: the global one. */
  tracerProvider?: TracerProvider;
  /** Meter provider to flush. Default: the global one. */
  meterProvider?: MeterProvider;
  /** Logger provider to flush. Default: the global one (`@opentelemetry/api-logs`). */
  loggerProvider?: LoggerProvider;
  /**
   * Longest a flush may take, in ms. The real bound of each flush is
   * `min(flushTimeoutMs, remainingTime - flushMarginMs)`. Env `OTEL_LAMBDA_FLUSH_TIMEOUT_MS`. Default 1000.
   */
  flushTimeoutMs?: number;
  /** Time kept free before the deadline when a flush is bounded, in ms. Env `OTEL_LAMBDA_FLUSH_MARGIN_MS`. Default 50. */
  flushMarginMs?: number;
  /**
   * A handler still running this many ms before its deadline gets its span ended with a
   * timeout error and flushed, so the timeout is visible before Lambda kills the process.
   * `0` disables the guard. Env `OTEL_LAMBDA_DEADLINE_MARGIN_MS`. Default 300.
   */
  deadlineMarginMs?: number;
  /** Flush and shut the providers down on SIGTERM. Default true. */
  handleSigterm?: boolean;
  /** Budget of the SIGTERM flush + shutdown, in ms (Lambda gives about 500). Env `OTEL_LAMBDA_SHUTDOWN_TIMEOUT_MS`. Default 400. */
  shutdownTimeoutMs?: number;
  /** Called after the invocation span started, before the handler runs. Errors are ignored. */
  requestHook?: (span: Span, info: RequestHookInfo) => void;
  /** Called before the invocation span ends. Errors are ignored. */
  responseHook?: (span: Span, info: ResponseHookInfo) => void;
  /** Called with the outcome of every flush. Errors are ignored. */
  onFlush?: (outcome: FlushOutcome) => void;
  /** Flush scheduling. */
  flush?: FlushOptions;
  /** Run the in-process internal extension. Env `OTEL_LAMBDA_EXTENSION`. Default false. */
  extension?: boolean | ExtensionOptions;
  /** Most span links per invocation (batch triggers). Env `OTEL_LAMBDA_MAX_LINKS`. Default 32. */
  maxLinks?: number;
  /** Replaces the built-in parent-context extraction. */
  extractor?: PropagationOptions['extractor'];
  /** Record `url.query` for HTTP triggers, credential-like values `REDACTED`. Env `OTEL_LAMBDA_CAPTURE_QUERY`. Default false. */
  captureQuery?: boolean;
  /** Request headers to record as `http.request.header.<name>`; credential headers always `REDACTED`. Default none. */
  captureRequestHeaders?: readonly string[];
  /** Finds a batch record's upstream context where the built-in rules find none (e.g. inside Kinesis data). */
  recordContext?: TriggerOptions['recordContext'];
  /** Use an X-Ray parent even when it says `Sampled=0`. Env `OTEL_LAMBDA_XRAY_ACCEPT_UNSAMPLED`. Default false. */
  acceptUnsampledXRay?: boolean;
  /** Propagator names (`tracecontext`, `baggage`, `xray`, `xray-lambda`, `none`). Default: `OTEL_PROPAGATORS`, else `tracecontext,baggage`. */
  propagators?: readonly string[];
}

/** Options after validation, env vars and defaults. */
export interface ResolvedOptions {
  tracerProvider?: TracerProvider;
  meterProvider?: MeterProvider;
  loggerProvider?: LoggerProvider;
  flushTimeoutMs: number;
  flushMarginMs: number;
  deadlineMarginMs: number;
  handleSigterm: boolean;
  shutdownTimeoutMs: number;
  requestHook?: OtelLambdaOptions['requestHook'];
  responseHook?: OtelLambdaOptions['responseHook'];
  onFlush?: OtelLambdaOptions['onFlush'];
  flush: Required<FlushOptions>;
  /** `false` when the extension is off. */
  extension: false | ExtensionOptions;
  maxLinks: number;
  extractor?: PropagationOptions['extractor'];
  captureQuery: boolean;
  captureRequestHeaders?: readonly string[];
  recordContext?: TriggerOptions['recordContext'];
  acceptUnsampledXRay: boolean;
  /** Resolved once (from `OTEL_PROPAGATORS` when not given) so no invoke reads the env. */
  propagators: readonly string[];
}

export const DEFAULTS = {
  flushTimeoutMs: 1000,
  flushMarginMs: 50,
  deadlineMarginMs: 300,
  shutdownTimeoutMs: 400,
  intervalMs: 10_000,
  maxPending: 1000,
  maxLinks: 32,
} as const;

const MODES: readonly FlushMode[] = ['sync', 'after-response', 'periodic', 'adaptive'];
const KNOWN = new Set([
  'tracerProvider', 'meterProvider', 'loggerProvider', 'flushTimeoutMs', 'flushMarginMs',
  'deadlineMarginMs', 'handleSigterm', 'shutdownTimeoutMs', 'requestHook', 'responseHook',
  'onFlush', 'flush', 'extension', 'maxLinks', 'extractor', 'captureQuery',
  'captureRequestHeaders', 'recordContext', 'acceptUnsampledXRay', 'propagators',
]);

function fail(path: string, expected: string, got: unknown): never {
  const kind = got === null ? 'null' : Array.isArray(got) ? 'array' : typeof got;
  throw new TypeError(`otel-lambda-flush: option "${path}" must be ${expected}, got ${kind}${typeof got === 'number' ? ` ${got}` : ''}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optInt(o: Record<string, unknown>, key: string, path = key, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) fail(path, `an integer between 0 and ${max}`, v);
  return v;
}

function optFn<T>(o: Record<string, unknown>, key: string, path = key): T | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'function') fail(path, 'a function', v);
  return v as T;
}

function optBool(o: Record<string, unknown>, key: string, path = key): boolean | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') fail(path, 'a boolean', v);
  return v;
}

function optString(o: Record<string, unknown>, key: string, path = key): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') fail(path, 'a non-empty string', v);
  return v;
}

function optStrings(o: Record<string, unknown>, key: string, path = key): readonly string[] | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) fail(path, 'an array of strings', v);
  return v as readonly string[];
}

function optProvider<T>(o: Record<string, unknown>, key: string, method: string): T | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (!isObject(v) || typeof v[method] !== 'function') fail(key, `an object with a ${method}() method`, v);
  return v as T;
}

/** Reads a non-negative integer env var; an unparseable value warns and yields the default. */
export function envInt(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (/^\d+$/.test(raw) && Number.isSafeInteger(Number(raw))) return Number(raw);
  warnOnce(`env:${name}`, `${name}="${raw}" is not a non-negative integer; using the default ${fallback}`);
  return fallback;
}

/** Reads a boolean env var the OpenTelemetry way: only `true` (any case) is true; other values warn. */
export function envBool(name: string, fallback: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  warnOnce(`env:${name}`, `${name}="${env[name]}" is not true or false; using the default ${fallback}`);
  return fallback;
}

/** Reads one of a set of values; anything else warns and yields the default. */
export function envEnum<T extends string>(name: string, values: readonly T[], fallback: T | undefined, env: NodeJS.ProcessEnv = process.env): T | undefined {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if ((values as readonly string[]).includes(raw)) return raw as T;
  warnOnce(`env:${name}`, `${name}="${env[name]}" is not one of ${values.join(', ')}; using the default ${fallback ?? '(automatic)'}`);
  return fallback;
}

function validateExtension(v: unknown): ExtensionOptions | boolean | undefined {
  if (v === undefined || typeof v === 'boolean') return v;
  if (!isObject(v)) fail('extension', 'a boolean or an object', v);
  optString(v, 'name', 'extension.name');
  optInt(v, 'registrationTimeoutMs', 'extension.registrationTimeoutMs');
  const t = v.telemetry;
  if (t !== undefined && typeof t !== 'boolean') {
    if (!isObject(t)) fail('extension.telemetry', 'a boolean or an object', t);
    optString(t, 'host', 'extension.telemetry.host');
    optInt(t, 'port', 'extension.telemetry.port', 65535);
    optBool(t, 'forwardLogs', 'extension.telemetry.forwardLogs');
    const b = t.buffering;
    if (b !== undefined) {
      if (!isObject(b)) fail('extension.telemetry.buffering', 'an object', b);
      for (const k of ['maxItems', 'maxBytes', 'timeoutMs']) optInt(b, k, `extension.telemetry.buffering.${k}`);
    }
  }
  return v as ExtensionOptions;
}

/**
 * Validates options (a wrong type throws a `TypeError` naming the option) and resolves env
 * vars and defaults.
 */
export function resolveOptions(input: OtelLambdaOptions | undefined, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  if (input !== undefined && !isObject(input)) fail('options', 'an object', input);
  const o = (input ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KNOWN.has(key)) throw new TypeError(`otel-lambda-flush: unknown option "${key}"`);
  }
  const flushIn = o.flush;
  if (flushIn !== undefined && !isObject(flushIn)) fail('flush', 'an object', flushIn);
  const f = (flushIn ?? {}) as Record<string, unknown>;
  if (f.mode !== undefined && !MODES.includes(f.mode as FlushMode)) fail('flush.mode', `one of ${MODES.join(', ')}`, f.mode);
  const extIn = validateExtension(o.extension);
  const extEnabled = extIn === undefined ? envBool('OTEL_LAMBDA_EXTENSION', false, env) : extIn !== false;
  const extension: false | ExtensionOptions = extEnabled ? (isObject(extIn) ? extIn : {}) : false;

  const resolved: ResolvedOptions = {
    tracerProvider: optProvider<TracerProvider>(o, 'tracerProvider', 'getTracer'),
    meterProvider: optProvider<MeterProvider>(o, 'meterProvider', 'getMeter'),
    loggerProvider: optProvider<LoggerProvider>(o, 'loggerProvider', 'getLogger'),
    flushTimeoutMs: optInt(o, 'flushTimeoutMs') ?? envInt('OTEL_LAMBDA_FLUSH_TIMEOUT_MS', DEFAULTS.flushTimeoutMs, env),
    flushMarginMs: optInt(o, 'flushMarginMs') ?? envInt('OTEL_LAMBDA_FLUSH_MARGIN_MS', DEFAULTS.flushMarginMs, env),
    deadlineMarginMs: optInt(o, 'deadlineMarginMs') ?? envInt('OTEL_LAMBDA_DEADLINE_MARGIN_MS', DEFAULTS.deadlineMarginMs, env),
    handleSigterm: optBool(o, 'handleSigterm') ?? true,
    shutdownTimeoutMs: optInt(o, 'shutdownTimeoutMs') ?? envInt('OTEL_LAMBDA_SHUTDOWN_TIMEOUT_MS', DEFAULTS.shutdownTimeoutMs, env),
    requestHook: optFn(o, 'requestHook'),
    responseHook: optFn(o, 'responseHook'),
    onFlush: optFn(o, 'onFlush'),
    flush: {
      mode: (f.mode as FlushMode | undefined) ?? envEnum('OTEL_LAMBDA_FLUSH_MODE', MODES, undefined, env) ?? (extension ? 'adaptive' : 'sync'),
      intervalMs: optInt(f, 'intervalMs', 'flush.intervalMs') ?? envInt('OTEL_LAMBDA_FLUSH_INTERVAL_MS', DEFAULTS.intervalMs, env),
      maxPending: optInt(f, 'maxPending', 'flush.maxPending') ?? envInt('OTEL_LAMBDA_FLUSH_MAX_PENDING', DEFAULTS.maxPending, env),
    },
    extension,
    maxLinks: optInt(o, 'maxLinks') ?? envInt('OTEL_LAMBDA_MAX_LINKS', DEFAULTS.maxLinks, env),
    extractor: optFn(o, 'extractor'),
    captureQuery: optBool(o, 'captureQuery') ?? envBool('OTEL_LAMBDA_CAPTURE_QUERY', false, env),
    captureRequestHeaders: optStrings(o, 'captureRequestHeaders'),
    recordContext: optFn(o, 'recordContext'),
    acceptUnsampledXRay: optBool(o, 'acceptUnsampledXRay') ?? envBool('OTEL_LAMBDA_XRAY_ACCEPT_UNSAMPLED', false, env),
    propagators: (optStrings(o, 'propagators') ?? propagatorNames(env)).map((n) => n.trim().toLowerCase()),
  };
  return resolved;
}
