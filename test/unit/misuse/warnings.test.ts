// Issue 12 "silent misuse": each mistake is said once, on the console by default.
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { SpanStatusCode } from '@opentelemetry/api';
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetWarnings } from '../../../src/config/warnings.js';
import { resetMisuseChecks } from '../../../src/handler/misuse.js';
import { otelFlush } from '../../../src/handler/middy.js';
import { withFlush } from '../../../src/handler/with-flush.js';
import { setupTelemetry } from '../../../src/providers/setup.js';
import { fakeContext } from '../../../src/testing/context.js';
import { memoryTracing, resetProcessState } from '../core/helpers.js';

let warnings: string[] = [];

beforeEach(() => {
  resetProcessState();
  resetWarnings();
  resetMisuseChecks();
  warnings = [];
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const opts = { handleSigterm: false, flushTimeoutMs: 100 } as const;

describe('no provider registered at the first invoke', () => {
  it('warns once, naming setupTelemetry()', async () => {
    const h = withFlush(async (_e: unknown, _c: unknown) => 'ok', opts);
    await h({}, fakeContext());
    await h({}, fakeContext());
    const hits = warnings.filter((w) => w.includes('no tracer, meter or logger provider'));
    expect(hits).toHaveLength(1);
    expect(hits[0]).toContain('setupTelemetry()');
  });

  it('middy: warns too', async () => {
    const h = middy(async () => 'ok').use(otelFlush(opts));
    await h({}, fakeContext());
    expect(warnings.some((w) => w.includes('no tracer, meter or logger provider'))).toBe(true);
  });

  it('says nothing with a provider given, or with OTEL_SDK_DISABLED=true', async () => {
    const m = memoryTracing();
    await withFlush(async (_e: unknown, _c: unknown) => 'ok', { ...opts, tracerProvider: m.provider })({}, fakeContext());
    resetMisuseChecks();
    vi.stubEnv('OTEL_SDK_DISABLED', 'true');
    await withFlush(async (_e: unknown, _c: unknown) => 'ok', opts)({}, fakeContext());
    expect(warnings.filter((w) => w.includes('no tracer'))).toEqual([]);
  });
});

describe('otelFlush() not registered first', () => {
  it('a middleware before it fails: one warning, and the failed invoke still gets its span', async () => {
    const m = memoryTracing();
    const bodyParser = { before: () => { throw Object.assign(new Error('Unprocessable Entity'), { statusCode: 422, name: 'UnprocessableEntityError' }); } };
    const h = middy(async () => 'ok').use(bodyParser).use(otelFlush({ ...opts, tracerProvider: m.provider }));
    await expect(h({}, fakeContext())).rejects.toThrow('Unprocessable Entity');
    await expect(h({}, fakeContext())).rejects.toThrow('Unprocessable Entity');
    expect(warnings.filter((w) => w.includes('otelFlush() was not registered first'))).toHaveLength(1);
    const spans = m.spans();
    expect(spans).toHaveLength(2);
    expect(spans[0]?.status.code).toBe(SpanStatusCode.ERROR);
    expect(spans[0]?.attributes['error.type']).toBe('UnprocessableEntityError');
  });

  it('registered first: no warning', async () => {
    const m = memoryTracing();
    const h = middy(async () => 'ok').use(otelFlush({ ...opts, tracerProvider: m.provider })).use({ before: () => undefined });
    await h({}, fakeContext());
    expect(warnings.filter((w) => w.includes('not registered first'))).toEqual([]);
  });
});

describe('awslambda.streamifyResponse(withFlush(h))', () => {
  function fakeStream(): Writable & { chunks: string[] } {
    const chunks: string[] = [];
    const w = new Writable({ write(c: Buffer, _e, cb) { chunks.push(c.toString()); cb(); } });
    return Object.assign(w, { chunks });
  }

  it.each([
    ['(event, responseStream, context)', async (_e: unknown, stream: Writable, _c: unknown) => { stream.end('hi'); }],
    ['(event, responseStream)', async (_e: unknown, stream: Writable) => { stream.end('hi'); }],
  ])('%s: warns once and serves the invoke as a streaming one (span named after the function)', async (_n, inner) => {
    const m = memoryTracing();
    const wrapped = withFlush(inner as never, { ...opts, tracerProvider: m.provider }) as unknown as (...a: unknown[]) => Promise<unknown>;
    for (let i = 0; i < 2; i++) {
      const stream = fakeStream();
      await wrapped({}, stream, fakeContext({ functionName: 'streamer' }));
      expect(stream.chunks).toEqual(['hi']);
    }
    expect(warnings.filter((w) => w.includes('streamifyResponse(withFlush(handler)) is not supported'))).toHaveLength(1);
    expect(m.spans().map((s) => s.name)).toEqual(['streamer', 'streamer']);
  });
});

describe('unknown propagator names', () => {
  it('warns once, naming the unknown propagator', async () => {
    const m = memoryTracing();
    await withFlush(async (_e: unknown, _c: unknown) => 'ok', { ...opts, tracerProvider: m.provider, propagators: ['tracecontext', 'b3x'] })({}, fakeContext());
    expect(warnings.filter((w) => w.includes('unknown propagator "b3x"'))).toHaveLength(1);
  });
});

describe('middy with @middy/http-error-handler', () => {
  it('records the error the handler threw, not the 500 object the error handler made of it', async () => {
    const m = memoryTracing();
    class PaymentDeclined extends Error { override name = 'PaymentDeclined'; }
    const h = middy(async () => { throw new PaymentDeclined('card 4242 declined'); })
      .use(otelFlush({ ...opts, tracerProvider: m.provider }))
      .use(httpErrorHandler({ logger: false }));
    const res = await h({ version: '2.0', routeKey: 'POST /pay', rawPath: '/pay', requestContext: { http: { method: 'POST', path: '/pay' } }, headers: {} }, fakeContext());
    expect((res as { statusCode: number }).statusCode).toBe(500);
    const span = m.spans()[0]!;
    expect(span.attributes['error.type']).toBe('PaymentDeclined');
    const ev = span.events.find((e) => e.name === 'exception')!;
    expect(ev.attributes?.['exception.type']).toBe('PaymentDeclined');
    expect(ev.attributes?.['exception.message']).toBe('card 4242 declined');
    expect(String(ev.attributes?.['exception.stacktrace'])).toContain('PaymentDeclined: card 4242 declined');
    expect(span.attributes['http.response.status_code']).toBe(500);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('an http error thrown as a plain object: name / message / statusCode read sensibly', async () => {
    const m = memoryTracing();
    const h = middy(async () => { throw { statusCode: 404, message: 'no such order', expose: true }; })
      .use(otelFlush({ ...opts, tracerProvider: m.provider }))
      .use(httpErrorHandler({ logger: false }));
    const res = await h({}, fakeContext());
    expect(res).toMatchObject({ statusCode: 404, body: 'no such order' });
    const ev = m.spans()[0]!.events.find((e) => e.name === 'exception')!;
    expect(ev.attributes?.['exception.type']).toBe('HTTP 404');
    expect(ev.attributes?.['exception.message']).toBe('no such order');
  });
});

describe('the collector unreachable (the export layer warns; verified here)', () => {
  it('one console warning that exports are failing', async () => {
    // a port nothing listens on
    const srv = createServer();
    srv.listen(0, '127.0.0.1');
    await once(srv, 'listening');
    const port = (srv.address() as { port: number }).port;
    await new Promise((r) => srv.close(r));
    await setupTelemetry({ endpoint: `http://127.0.0.1:${port}`, signals: { traces: true, metrics: false, logs: false } });
    const h = withFlush(async (_e: unknown, _c: unknown) => 'ok', { ...opts, flushTimeoutMs: 500 });
    await h({}, fakeContext());
    await h({}, fakeContext());
    expect(warnings.filter((w) => w.includes('telemetry export failing'))).toHaveLength(1);
  });
});
