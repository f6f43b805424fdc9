import {
  ROOT_CONTEXT,
  propagation,
  trace,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
} from '@opentelemetry/api';
import { W3CBaggagePropagator, W3CTraceContextPropagator, CompositePropagator } from '@opentelemetry/core';
import type { Context as LambdaContext } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { extractParentContext } from '../../src/invocation/propagation.js';
import { resolvePropagators } from '../../src/config/propagators.js';
import { resetWarnings } from '../../src/config/warnings.js';
import { parseXRayHeader } from '../../src/invocation/triggers/trace-headers.js';
import { detectTrigger } from '../../src/invocation/triggers/index.js';
import type { TriggerInfo } from '../../src/invocation/triggers/types.js';
import { loadEvent } from './triggers/load-event.js';

const W3C_TRACE = '0af7651916cd43dd8448eb211c80319c';
const W3C_SPAN = 'b7ad6b7169203331';
const TRACEPARENT = `00-${W3C_TRACE}-${W3C_SPAN}-01`;
const XRAY_SAMPLED = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
const XRAY_UNSAMPLED = 'Root=1-65f1a2b3-0123456789abcdef01234567;Parent=1a2b3c4d5e6f7a8b;Sampled=0';
const XRAY_OTHER = 'Root=1-11111111-222222222222222222222222;Parent=3333333333333333;Sampled=1';

const lambdaContext = (extra: Record<string, unknown> = {}) => ({ awsRequestId: 'req-1', ...extra }) as unknown as LambdaContext;

function httpTrigger(headers: Record<string, string>): TriggerInfo {
  return detectTrigger({ version: '2.0', routeKey: '$default', rawPath: '/', headers, requestContext: { http: { method: 'GET' } } }, { maxLinks: 32 });
}

function parentOf(ctx: Context) {
  const sc = trace.getSpanContext(ctx);
  return sc ? { traceId: sc.traceId, spanId: sc.spanId, sampled: (sc.traceFlags & 1) === 1, remote: sc.isRemote } : undefined;
}

beforeEach(() => {
  propagation.disable();
  vi.stubEnv('OTEL_PROPAGATORS', '');
  vi.stubEnv('_X_AMZN_TRACE_ID', '');
});
afterEach(() => {
  propagation.disable();
  vi.unstubAllEnvs();
});

describe('resolvePropagators', () => {
  it.each([
    ['', ['tracecontext', 'baggage']],
    [' TraceContext , XRAY-lambda ', ['tracecontext', 'xray-lambda']],
    ['none', ['none']],
    [',,', ['tracecontext', 'baggage']],
    ['tracecontext,b3', ['tracecontext', 'b3']],
  ])('OTEL_PROPAGATORS=%j → %j', (value, expected) => {
    expect(resolvePropagators(undefined, { OTEL_PROPAGATORS: value })).toEqual(expected);
  });

  it.each([
    ['tracecontex', ['tracecontext', 'baggage'], 'tracecontex'],
    ['awsxray,baggage', ['baggage'], 'awsxray'],
  ])('a typo (%j) warns once, naming it, and is dropped → %j', (value, expected, named) => {
    resetWarnings();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(resolvePropagators(undefined, { OTEL_PROPAGATORS: value })).toEqual(expected);
    expect(resolvePropagators(undefined, { OTEL_PROPAGATORS: value })).toEqual(expected);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain(`"${named}"`);
    warn.mockRestore();
  });
});

describe('W3C parent from HTTP headers', () => {
  it('without a registered propagator: the built-in W3C parser (default OTEL_PROPAGATORS)', () => {
    const ctx = extractParentContext(httpTrigger({ TraceParent: TRACEPARENT }), {}, lambdaContext(), {});
    expect(parentOf(ctx)).toEqual({ traceId: W3C_TRACE, spanId: W3C_SPAN, sampled: true, remote: true });
  });

  it('with the global W3C propagator: through it, header names case-insensitive', () => {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    // A carrier built by hand with mixed-case keys: the getter still finds them.
    const trigger: TriggerInfo = { ...httpTrigger({}), carrier: { TRACEPARENT: TRACEPARENT, TraceState: 'k=v' } };
    const ctx = extractParentContext(trigger, {}, lambdaContext(), {});
    expect(parentOf(ctx)).toEqual({ traceId: W3C_TRACE, spanId: W3C_SPAN, sampled: true, remote: true });
    expect(trace.getSpanContext(ctx)?.traceState?.get('k')).toBe('v');
  });

  it('from an API Gateway v1 fixture (mixed-case headers)', () => {
    const trigger = detectTrigger(loadEvent('api-gateway-v1'), { maxLinks: 32 });
    expect(parentOf(extractParentContext(trigger, {}, lambdaContext(), {}))?.traceId).toBe(W3C_TRACE);
  });

  it('baggage through the built-in parser', () => {
    const ctx = extractParentContext(httpTrigger({ traceparent: TRACEPARENT, baggage: 'user=alice,team=a%20b;prop=1' }), {}, lambdaContext(), {});
    const baggage = propagation.getBaggage(ctx);
    expect(baggage?.getEntry('user')?.value).toBe('alice');
    expect(baggage?.getEntry('team')?.value).toBe('a b');
  });

  it('baggage through the global composite propagator', () => {
    propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
    const ctx = extractParentContext(httpTrigger({ traceparent: TRACEPARENT, baggage: 'user=bob' }), {}, lambdaContext(), {});
    expect(propagation.getBaggage(ctx)?.getEntry('user')?.value).toBe('bob');
    expect(parentOf(ctx)?.spanId).toBe(W3C_SPAN);
  });

  it('OTEL_PROPAGATORS=none: no parent at all', () => {
    vi.stubEnv('OTEL_PROPAGATORS', 'none');
    vi.stubEnv('_X_AMZN_TRACE_ID', XRAY_SAMPLED);
    expect(extractParentContext(httpTrigger({ traceparent: TRACEPARENT }), {}, lambdaContext(), {})).toBe(ROOT_CONTEXT);
  });

  it('OTEL_PROPAGATORS=xray only: traceparent is not read by the built-in parser', () => {
    vi.stubEnv('OTEL_PROPAGATORS', 'xray');
    const ctx = extractParentContext(httpTrigger({ traceparent: TRACEPARENT, 'x-amzn-trace-id': XRAY_OTHER }), {}, lambdaContext(), {});
    expect(parentOf(ctx)?.traceId).toBe('11111111222222222222222222222222');
  });
});

describe('AWS X-Ray parent', () => {
  it('ignored by default (OTEL_PROPAGATORS unset), even when sampled', () => {
    vi.stubEnv('_X_AMZN_TRACE_ID', XRAY_SAMPLED);
    const ctx = extractParentContext(detectTrigger({}, { maxLinks: 32 }), {}, lambdaContext({ xRayTraceId: XRAY_SAMPLED }), {});
    expect(parentOf(ctx)).toBeUndefined();
  });

  it('xray-lambda: the invoke trace id from the Lambda context first', () => {
    vi.stubEnv('OTEL_PROPAGATORS', 'tracecontext,baggage,xray-lambda');
    vi.stubEnv('_X_AMZN_TRACE_ID', XRAY_OTHER);
    const ctx = extractParentContext(detectTrigger({}, { maxLinks: 32 }), {}, lambdaContext({ xRayTraceId: XRAY_SAMPLED }), {});
    expect(parentOf(ctx)).toEqual({ traceId: '5759e988bd862e3fe1be46a994272793', spanId: '53995c3f42cd8ad8', sampled: true, remote: true });
  });

  it('xray-lambda: _X_AMZN_TRACE_ID when the context has none', () => {
    vi.stubEnv('OTEL_PROPAGATORS', 'xray-lambda');
    vi.stubEnv('_X_AMZN_TRACE_ID', XRAY_OTHER);
    const ctx = extractParentContext(detectTrigger(loadEvent('sqs'), { maxLinks: 32 }), {}, lambdaContext(), {});
    expect(parentOf(ctx)?.traceId).toBe('11111111222222222222222222222222');
  });

  it('the W3C context from headers wins over a sampled X-Ray trace id', () => {
    vi.stubEnv('OTEL_PROPAGATORS', 'tracecontext,xray-lambda');
    const ctx = extractParentContext(httpTrigger({ traceparent: TRACEPARENT }), {}, lambdaContext({ xRayTraceId: XRAY_SAMPLED }), {});
    expect(parentOf(ctx)?.traceId).toBe(W3C_TRACE);
  });

  it('an UNSAMPLED X-Ray header is treated as no parent (spans are not dropped)', () => {
    vi.stubEnv('OTEL_PROPAGATORS', 'tracecontext,xray-lambda');
    vi.stubEnv('_X_AMZN_TRACE_ID', XRAY_UNSAMPLED);
    const ctx = extractParentContext(detectTrigger({}, { maxLinks: 32 }), {}, lambdaContext({ xRayTraceId: XRAY_UNSAMPLED }), {});
    expect(parentOf(ctx)).toBeUndefined();
  });

  it('an unsampled invoke id falls through to a sampled request header', () => {
    vi.stubEnv('OTEL_PROPAGATORS', 'xray-lambda');
    const ctx = extractParentContext(httpTrigger({ 'x-amzn-trace-id': XRAY_OTHER }), {}, lambdaContext({ xRayTraceId: XRAY_UNSAMPLED }), {});
    expect(parentOf(ctx)?.traceId).toBe('11111111222222222222222222222222');
  });

  it('acceptUnsampledXRay: the unsampled X-Ray parent is used (and unsampled)', () => {
    vi.stubEnv('OTEL_PROPAGATORS', 'xray-lambda');
    const ctx = extractParentContext(detectTrigger({}, { maxLinks: 32 }), {}, lambdaContext({ xRayTraceId: XRAY_UNSAMPLED }), { acceptUnsampledXRay: true });
    expect(parentOf(ctx)).toEqual({ traceId: '65f1a2b30123456789abcdef01234567', spanId: '1a2b3c4d5e6f7a8b', sampled: false, remote: true });
  });

  it('xray (not -lambda): only the request header, never the environment', () => {
    vi.stubEnv('OTEL_PROPAGATORS', 'xray');
    vi.stubEnv('_X_AMZN_TRACE_ID', XRAY_SAMPLED);
    expect(parentOf(extractParentContext(detectTrigger({}, { maxLinks: 32 }), {}, lambdaContext({ xRayTraceId: XRAY_SAMPLED }), {}))).toBeUndefined();
    const fromHeader = extractParentContext(httpTrigger({ 'X-Amzn-Trace-Id': XRAY_OTHER }), {}, lambdaContext(), {});
    expect(parentOf(fromHeader)?.spanId).toBe('3333333333333333');
  });

  it('the propagators option overrides OTEL_PROPAGATORS', () => {
    vi.stubEnv('OTEL_PROPAGATORS', 'none');
    const ctx = extractParentContext(detectTrigger({}, { maxLinks: 32 }), {}, lambdaContext({ xRayTraceId: XRAY_SAMPLED }), { propagators: resolvePropagators(['XRAY-LAMBDA'], {}) });
    expect(parentOf(ctx)?.spanId).toBe('53995c3f42cd8ad8');
  });

  it('an unsampled X-Ray parent produced by a registered global X-Ray propagator is dropped too', () => {
    const xrayGlobal: TextMapPropagator = {
      inject: () => undefined,
      fields: () => ['x-amzn-trace-id'],
      extract: (ctx: Context, carrier: unknown, getter: TextMapGetter) => {
        const parsed = parseXRayHeader(getter.get(carrier, 'X-Amzn-Trace-Id'));
        return parsed ? trace.setSpanContext(ctx, parsed.spanContext) : ctx;
      },
    };
    propagation.setGlobalPropagator(xrayGlobal);
    const unsampled = extractParentContext(httpTrigger({ 'x-amzn-trace-id': XRAY_UNSAMPLED }), {}, lambdaContext(), {});
    expect(parentOf(unsampled)).toBeUndefined();
    const sampled = extractParentContext(httpTrigger({ 'x-amzn-trace-id': XRAY_SAMPLED }), {}, lambdaContext(), {});
    expect(parentOf(sampled)?.spanId).toBe('53995c3f42cd8ad8');
    const optedIn = extractParentContext(httpTrigger({ 'x-amzn-trace-id': XRAY_UNSAMPLED }), {}, lambdaContext(), { acceptUnsampledXRay: true });
    expect(parentOf(optedIn)?.sampled).toBe(false);
  });
});

describe('custom extractor', () => {
  const custom = trace.setSpanContext(ROOT_CONTEXT, { traceId: 'cccccccccccccccccccccccccccccccc', spanId: 'dddddddddddddddd', traceFlags: 1, isRemote: true });

  it('overrides everything, and receives the event and the Lambda context', () => {
    vi.stubEnv('OTEL_PROPAGATORS', 'tracecontext,xray-lambda');
    const seen: unknown[] = [];
    const event = { hello: 1 };
    const lc = lambdaContext({ xRayTraceId: XRAY_SAMPLED });
    const ctx = extractParentContext(httpTrigger({ traceparent: TRACEPARENT }), event, lc, {
      extractor: (e, c) => { seen.push(e, c); return custom; },
    });
    expect(ctx).toBe(custom);
    expect(seen).toEqual([event, lc]);
  });

  it('returning undefined means no parent', () => {
    const trigger = httpTrigger({ traceparent: TRACEPARENT });
    expect(extractParentContext(trigger, {}, lambdaContext(), { extractor: () => undefined })).toBe(ROOT_CONTEXT);
  });

  it.each([
    ['throws', () => { throw new Error('boom'); }, 'extractor failed'],
    ['returns a SpanContext', () => ({ traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: 1 }), 'not a Context'],
    ['returns a number', () => 42, 'a number'],
    ['is async', async () => custom, 'a promise'],
    ['is async and rejects', async () => { throw new Error('late'); }, 'a promise'],
  ])('an extractor that %s: one warning, the built-in extraction applies, never a throw', async (_what, extractor, says) => {
    resetWarnings();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const trigger = httpTrigger({ traceparent: TRACEPARENT });
    for (let i = 0; i < 3; i++) {
      const ctx = extractParentContext(trigger, {}, lambdaContext(), { extractor: extractor as never });
      expect(parentOf(ctx)?.spanId).toBe(W3C_SPAN);
    }
    await new Promise((r) => setImmediate(r));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain(says);
    warn.mockRestore();
  });
});

describe('robustness', () => {
  it('never throws on nonsense input', () => {
    vi.stubEnv('OTEL_PROPAGATORS', 'xray-lambda');
    expect(extractParentContext(null as unknown as TriggerInfo, undefined, undefined as unknown as LambdaContext, {})).toBe(ROOT_CONTEXT);
    const weird: TriggerInfo = { ...httpTrigger({}), carrier: { traceparent: 'garbage', baggage: '%%%=%%%' } };
    expect(parentOf(extractParentContext(weird, {}, lambdaContext({ xRayTraceId: 42 }), {}))).toBeUndefined();
  });
});
