import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it } from 'vitest';
import { withFlush } from '../../../src/handler/with-flush.js';
import { HANDLER_HIGHWATERMARK, HANDLER_STREAMING, runtimeAcceptsCallbacks } from '../../../src/handler/runtime.js';
import type { OtelLambdaOptions } from '../../../src/config/options.js';
import { fakeContext } from '../../../src/testing/context.js';
import { childOf, memoryTracing, resetProcessState, tracer } from './helpers.js';

// Loosely typed front door for tests that call wrappers with fake contexts.
const wf = (fn: (...a: any[]) => any, o?: OtelLambdaOptions) => withFlush(fn, o) as (...args: any[]) => Promise<any>;

const ARN = 'arn:aws:lambda:eu-west-1:210987654321:function:orders:live';

describe('withFlush', () => {
  beforeEach(() => resetProcessState());

  it('creates one active span per invoke with the FaaS attributes, and flushes before returning', async () => {
    const m = memoryTracing();
    const flushesSeen: number[] = [];
    const h = wf(async (event: { n: number }) => {
      tracer(m).startActiveSpan('child', (s) => s.end());
      flushesSeen.push(m.flushes); // the flush happens after the handler
      return { doubled: event.n * 2 };
    }, { tracerProvider: m.provider, handleSigterm: false });
    const ctx = fakeContext({ invokedFunctionArn: ARN, functionVersion: '7', functionName: 'orders' });
    expect(await h({ n: 21 }, ctx)).toEqual({ doubled: 42 });
    const resolvedAt = performance.now();
    // Completed, not just called: the export finished before the wrapper's promise resolved.
    expect(m.exporter.exportedAt).toHaveLength(1);
    expect(m.exporter.exportedAt[0]).toBeLessThanOrEqual(resolvedAt);
    expect(m.flushes).toBe(1);
    expect(flushesSeen).toEqual([0]);
    const [child, span] = m.spans();
    expect(span?.name).toBe('orders');
    expect(span?.kind).toBe(SpanKind.SERVER);
    expect(span?.attributes).toMatchObject({
      'faas.invocation_id': ctx.awsRequestId,
      'cloud.resource_id': 'arn:aws:lambda:eu-west-1:210987654321:function:orders:7',
      'cloud.account.id': '210987654321',
      'faas.coldstart': true,
      'faas.trigger': 'other',
    });
    expect(childOf(m.spans(), span!)).toEqual([child]);
    await h({ n: 1 }, fakeContext());
    expect(m.spans()[3]?.attributes['faas.coldstart']).toBe(false);
  });

  it('faas.coldstart is false for provisioned concurrency', async () => {
    const m = memoryTracing();
    const before = process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
    process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'provisioned-concurrency';
    try {
      await wf(async () => 1, { tracerProvider: m.provider, handleSigterm: false })({}, fakeContext());
    } finally {
      if (before === undefined) delete process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
      else process.env.AWS_LAMBDA_INITIALIZATION_TYPE = before;
    }
    expect(m.spans()[0]?.attributes['faas.coldstart']).toBe(false);
  });

  it('rethrows the same error object (rejection and synchronous throw) and records it', async () => {
    const m = memoryTracing();
    class PaymentError extends Error { override name = 'PaymentError'; }
    const err = new PaymentError('card declined');
    const rejecting = wf(async () => { throw err; }, { tracerProvider: m.provider, handleSigterm: false });
    await expect(rejecting({}, fakeContext())).rejects.toBe(err);
    const syncErr = new TypeError('sync');
    const throwing = wf(() => { throw syncErr; }, { tracerProvider: m.provider, handleSigterm: false });
    await expect(throwing({}, fakeContext())).rejects.toBe(syncErr);
    const thrownString = wf(() => { throw 'plain string'; }, { tracerProvider: m.provider, handleSigterm: false });
    await expect(thrownString({}, fakeContext())).rejects.toBe('plain string');
    const [a, b, c] = m.spans();
    expect(a?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'card declined' });
    expect(a?.events[0]?.name).toBe('exception');
    expect(a?.events[0]?.attributes?.['exception.type']).toBe('PaymentError');
    expect(a?.attributes['error.type']).toBe('PaymentError');
    expect(b?.status.code).toBe(SpanStatusCode.ERROR);
    expect(c?.events[0]?.attributes?.['exception.message']).toBe('plain string');
    expect(m.flushes).toBe(3);
  });

  it('calls requestHook and responseHook; their errors are ignored', async () => {
    const m = memoryTracing();
    const seen: string[] = [];
    const h = wf(async () => 'ok', {
      tracerProvider: m.provider,
      handleSigterm: false,
      requestHook: (span, { event }) => { span.setAttribute('req', JSON.stringify(event)); seen.push('req'); throw new Error('ignored'); },
      responseHook: (span, { result, error }) => { span.setAttribute('res', String(result)); seen.push(`res:${String(error)}`); throw new Error('ignored'); },
    });
    expect(await h({ a: 1 }, fakeContext())).toBe('ok');
    expect(seen).toEqual(['req', 'res:undefined']);
    expect(m.spans()[0]?.attributes).toMatchObject({ req: '{"a":1}', res: 'ok' });
  });

  it('wrapping twice (or nesting wrappers) creates one span', async () => {
    const m = memoryTracing();
    const inner = wf(async () => 'x', { tracerProvider: m.provider, handleSigterm: false });
    expect(withFlush(inner)).toBe(inner);
    const outer = wf(async (e: unknown, c: never) => inner(e, c), { tracerProvider: m.provider, handleSigterm: false });
    expect(await outer({}, fakeContext())).toBe('x');
    expect(m.spans()).toHaveLength(1);
  });

  it('keeps a 2-parameter shape for promise handlers', () => {
    expect(wf(async (_e: unknown) => 1).length).toBeLessThanOrEqual(2);
    expect(wf(async (_e: unknown, _c: unknown) => 1).length).toBe(2);
    expect(wf(async () => 1).length).toBeLessThanOrEqual(2);
  });

  // The 3-parameter shape itself (forced, since vitest runs on Node 24): callback-wrapper.test.ts.
  it('callback handlers: 3-parameter wrapper where the runtime accepts callbacks', async () => {
    expect(runtimeAcceptsCallbacks({}, '22.11.0')).toBe(true);
    expect(runtimeAcceptsCallbacks({}, '24.1.0')).toBe(false);
    expect(runtimeAcceptsCallbacks({ AWS_LAMBDA_MAX_CONCURRENCY: '4' }, '22.11.0')).toBe(false);
    // aws-lambda-ric 4.x refuses callback handlers on every Node version; it is recognised by awslambda.InvokeStore.
    expect(runtimeAcceptsCallbacks({}, '22.11.0', { InvokeStore: {} })).toBe(false);
    expect(runtimeAcceptsCallbacks({}, '22.11.0', { streamifyResponse: () => undefined })).toBe(true);
    const m = memoryTracing();
    const err = new Error('cb failed');
    const h = wf((event: { fail?: boolean }, _ctx: unknown, cb: (e: unknown, r?: unknown) => void) => {
      setTimeout(() => (event.fail ? cb(err) : cb(null, 'done')), 5);
    }, { tracerProvider: m.provider, handleSigterm: false });
    expect(h.length).toBe(runtimeAcceptsCallbacks() ? 3 : 2);
    const call = (event: object) =>
      h.length === 3
        ? new Promise((resolve, reject) => (h as any)(event, fakeContext(), (e: unknown, r: unknown) => (e ? reject(e) : resolve(r))))
        : (h as any)(event, fakeContext());
    await expect(call({})).resolves.toBe('done');
    expect(m.flushes).toBe(1); // flushed before the runtime's callback ran
    await expect(call({ fail: true })).rejects.toBe(err);
    expect(m.spans()[1]?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('streaming handlers keep the runtime markers and flush after the stream finished', async () => {
    const m = memoryTracing();
    const handler = async (_e: unknown, stream: EventEmitter & { write(s: string): void; end(): void }) => {
      stream.write('a');
      setTimeout(() => stream.end(), 30);
    };
    Object.assign(handler, { [HANDLER_STREAMING]: 'response', [HANDLER_HIGHWATERMARK]: 4096 });
    const h = wf(handler, { tracerProvider: m.provider, handleSigterm: false }) as any;
    expect(h[HANDLER_STREAMING]).toBe('response');
    expect(h[HANDLER_HIGHWATERMARK]).toBe(4096);
    const emitter = new EventEmitter();
    const stream = Object.assign(emitter, {
      writableFinished: false,
      chunks: [] as string[],
      write(s: string) { stream.chunks.push(s); },
      end() { stream.writableFinished = true; emitter.emit('finish'); },
    });
    let endedAt = 0;
    stream.on('finish', () => (endedAt = performance.now()));
    await h({}, stream, fakeContext());
    expect(endedAt).toBeGreaterThan(0);
    expect(m.spans()).toHaveLength(1);
    expect(m.spans()[0]!.endTime[0] * 1e3 + m.spans()[0]!.endTime[1] / 1e6).toBeGreaterThan(0);
    expect(m.flushes).toBe(1);
  });

  it('deadline guard: a handler still running at deadline - margin gets its span ended with a timeout and flushed, once', async () => {
    const m = memoryTracing();
    let release!: () => void;
    const h = wf(() => new Promise<string>((r) => (release = () => r('late'))), {
      tracerProvider: m.provider, handleSigterm: false, deadlineMarginMs: 150,
    });
    const pending = h({}, fakeContext({ timeoutMs: 250 }));
    await new Promise((r) => setTimeout(r, 200));
    expect(m.spans()).toHaveLength(1);
    const span = m.spans()[0]!;
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('timeout');
    expect(m.flushes).toBe(1);
    release();
    expect(await pending).toBe('late');
    expect(m.spans()).toHaveLength(1);
  });

  it('no guard fires for an invoke that finishes in time', async () => {
    const m = memoryTracing();
    const h = wf(async () => 'fast', { tracerProvider: m.provider, handleSigterm: false, deadlineMarginMs: 100 });
    await h({}, fakeContext({ timeoutMs: 150 }));
    await new Promise((r) => setTimeout(r, 100));
    expect(m.spans()).toHaveLength(1);
    expect(m.spans()[0]?.status.code).toBe(SpanStatusCode.UNSET);
    expect(m.flushes).toBe(1);
  });

  it('uses the global tracer provider by default (unwrapping the API proxy to flush it)', async () => {
    const m = memoryTracing();
    trace.setGlobalTracerProvider(m.provider);
    try {
      await wf(async () => 1, { handleSigterm: false })({}, fakeContext());
      expect(m.spans()).toHaveLength(1);
      expect(m.flushes).toBe(1);
    } finally {
      trace.disable();
    }
  });

  it('throws a TypeError for a non-function handler and for bad options', () => {
    expect(() => withFlush(null as never)).toThrow(TypeError);
    expect(() => wf(async () => 1, { flushTimeoutMs: 'x' as never })).toThrow(/flushTimeoutMs/);
  });
});
