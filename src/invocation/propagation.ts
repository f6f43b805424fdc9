// Parent context of the invocation span: W3C (or whatever propagator the app registered)
// from HTTP headers first, then AWS X-Ray when OTEL_PROPAGATORS asks for it, or a
// user-supplied extractor instead of all of it.
import { ROOT_CONTEXT, diag, propagation, trace, type Context as OtelContext, type TextMapGetter } from '@opentelemetry/api';
import type { Context as LambdaContext } from 'aws-lambda';
import type { ParentExtractor } from '../config/options.js';
import { resolvePropagators } from '../config/propagators.js';
import { warnOnce } from '../config/warnings.js';
import { invokeStoreTraceId } from '../internals/invoke-store.js';
import { swallowThenable, userCodeFailed } from './user-code.js';
import { parseTraceparent, parseXRayHeader } from './triggers/trace-headers.js';
import type { TriggerInfo } from './triggers/types.js';

/** Options of parent-context extraction. */
export interface PropagationOptions {
  /**
   * Replaces all built-in extraction when given: its result (the root context when it returns
   * `undefined`) is the parent of the invocation span. When it throws or returns anything but a
   * Context (a promise, a SpanContext...), one warning is printed and the built-in extraction
   * applies.
   */
  extractor?: ParentExtractor;
  /**
   * Use an X-Ray parent even when its header says `Sampled=0` (or has no decision).
   * Default `false`: Lambda passes an unsampled X-Ray header to every function without
   * active tracing, and a parent-based sampler would then drop every span. Such a header is
   * treated as no parent.
   */
  acceptUnsampledXRay?: boolean;
  /**
   * Propagator names, overriding `OTEL_PROPAGATORS` (default `tracecontext,baggage`).
   * Understood here: `tracecontext`, `baggage`, `xray`, `xray-lambda`, `none`; other names
   * are left to the globally registered propagator.
   */
  propagators?: readonly string[];
  /**
   * Invokes overlap in this thread (Lambda Managed Instances): the process-wide
   * `_X_AMZN_TRACE_ID` belongs to whichever invoke set it last and is never read.
   */
  concurrent?: boolean;
}

/** Header lookup that ignores case (carrier keys are lower-cased by trigger detection). */
const caseInsensitiveGetter: TextMapGetter<Record<string, string>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const lower = key.toLowerCase();
    if (Object.hasOwn(carrier, lower)) return carrier[lower];
    for (const k of Object.keys(carrier)) if (k.toLowerCase() === lower) return carrier[k];
    return undefined;
  },
};

/** The context the invocation span is a child of. Never throws. */
export function extractParentContext(
  trigger: TriggerInfo,
  event: unknown,
  lambdaContext: LambdaContext,
  options: PropagationOptions,
): OtelContext {
  if (options.extractor !== undefined) {
    const custom = fromExtractor(options.extractor, event, lambdaContext);
    if (custom !== undefined) return custom;
  }
  try {
    const names = options.propagators ?? resolvePropagators(undefined, process.env);
    if (names.includes('none')) return ROOT_CONTEXT;
    const carrier = trigger.carrier;
    let ctx = carrier !== undefined ? fromHeaders(carrier, names, options) : ROOT_CONTEXT;
    if (trace.getSpanContext(ctx) !== undefined) return ctx;
    const xray = xrayCandidates(names, carrier, lambdaContext, options.concurrent === true);
    for (const header of xray) {
      const parsed = parseXRayHeader(header);
      if (parsed === undefined) continue;
      if (parsed.sampled !== true && options.acceptUnsampledXRay !== true) continue;
      ctx = trace.setSpanContext(ctx, parsed.spanContext);
      break;
    }
    return ctx;
  } catch (error) {
    diag.debug('otel-lambda-flush: parent extraction failed; using no parent', error);
    return ROOT_CONTEXT;
  }
}

/** Whether `v` is an OpenTelemetry Context (the API's BaseContext shape). */
function isContext(v: unknown): v is OtelContext {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Partial<OtelContext>;
  return typeof c.getValue === 'function' && typeof c.setValue === 'function' && typeof c.deleteValue === 'function';
}

/**
 * The user extractor's context; `undefined` (after one warning) when it threw or returned
 * something else than a Context or `undefined`, so the built-in extraction applies.
 */
function fromExtractor(extractor: ParentExtractor, event: unknown, lambdaContext: LambdaContext): OtelContext | undefined {
  let v: unknown;
  try {
    v = extractor(event, lambdaContext);
  } catch (error) {
    userCodeFailed('extractor', error);
    return undefined;
  }
  if (v === undefined || v === null) return ROOT_CONTEXT;
  if (isContext(v)) return v;
  const what = swallowThenable(v)
    ? 'a promise (extractors must be synchronous)'
    : typeof v === 'object'
      ? 'an object that is not a Context (return trace.setSpanContext(ROOT_CONTEXT, spanContext) for a SpanContext)'
      : `a ${typeof v}`;
  warnOnce('extractor-result', `extractor returned ${what}; using the built-in extraction`);
  return undefined;
}

/**
 * The registered global propagator when there is one (it knows the app's formats: W3C, B3,
 * X-Ray...); else the built-in W3C trace-context and baggage parsers, as OTEL_PROPAGATORS says.
 */
function fromHeaders(carrier: Record<string, string>, names: readonly string[], options: PropagationOptions): OtelContext {
  if (propagation.fields().length > 0) {
    const ctx = propagation.extract(ROOT_CONTEXT, carrier, caseInsensitiveGetter);
    return dropUnsampledXRay(ctx, carrier, options);
  }
  let ctx = ROOT_CONTEXT;
  if (names.includes('baggage') && carrier.baggage !== undefined) {
    const baggage = parseBaggage(carrier.baggage);
    if (baggage !== undefined) ctx = propagation.setBaggage(ctx, baggage);
  }
  if (names.includes('tracecontext')) {
    const spanContext = parseTraceparent(carrier.traceparent, carrier.tracestate);
    if (spanContext !== undefined) ctx = trace.setSpanContext(ctx, spanContext);
  }
  return ctx;
}

/** A global X-Ray propagator may have produced an unsampled X-Ray parent: same rule applies. */
function dropUnsampledXRay(ctx: OtelContext, carrier: Record<string, string>, options: PropagationOptions): OtelContext {
  const found = trace.getSpanContext(ctx);
  if (found === undefined || options.acceptUnsampledXRay === true) return ctx;
  const xray = parseXRayHeader(carrier['x-amzn-trace-id']);
  if (xray === undefined || xray.sampled === true) return ctx;
  const same = xray.spanContext.traceId === found.traceId && xray.spanContext.spanId === found.spanId;
  return same ? trace.deleteSpan(ctx) : ctx;
}

/**
 * X-Ray headers to try, in order. `xray`: the request's `X-Amzn-Trace-Id` header.
 * `xray-lambda`: the invoke's own trace id (`Lambda-Runtime-Trace-Id`: the runtime's invoke
 * store, then `context.xRayTraceId`, then — one invoke at a time only — `_X_AMZN_TRACE_ID`),
 * then the header.
 */
function xrayCandidates(names: readonly string[], carrier: Record<string, string> | undefined, lambdaContext: LambdaContext, concurrent: boolean): unknown[] {
  const header = carrier?.['x-amzn-trace-id'];
  if (names.includes('xray-lambda')) {
    const fromContext = (lambdaContext as { xRayTraceId?: unknown } | undefined)?.xRayTraceId;
    return [invokeStoreTraceId(), fromContext, concurrent ? undefined : process.env._X_AMZN_TRACE_ID, header];
  }
  return names.includes('xray') ? [header] : [];
}

const MAX_BAGGAGE_LENGTH = 8192;
const MAX_BAGGAGE_ENTRIES = 180;

/** W3C baggage header → Baggage (entry properties dropped). Bounded as the spec says. */
function parseBaggage(header: string) {
  if (header.length > MAX_BAGGAGE_LENGTH) return undefined;
  const entries = Object.create(null) as Record<string, { value: string }>;
  let count = 0;
  for (const item of header.split(',')) {
    if (count >= MAX_BAGGAGE_ENTRIES) break;
    const [pair] = item.split(';');
    const eq = pair?.indexOf('=') ?? -1;
    if (pair === undefined || eq <= 0) continue;
    try {
      const key = decodeURIComponent(pair.slice(0, eq).trim());
      const value = decodeURIComponent(pair.slice(eq + 1).trim());
      if (key.length > 0) {
        entries[key] = { value };
        count++;
      }
    } catch {
      // malformed percent-encoding: skip the entry
    }
  }
  return count > 0 ? propagation.createBaggage(entries) : undefined;
}
