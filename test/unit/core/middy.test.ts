import { SpanStatusCode } from '@opentelemetry/api';
import middy7 from '@middy/core';
import middy5 from 'middy5';
import middy6 from 'middy6';
import { beforeEach, describe, expect, it } from 'vitest';
import { otelFlush } from '../../../src/handler/middy.js';
import { fakeContext } from '../../../src/testing/context.js';
import { childOf, memoryTracing, resetProcessState, tracer } from './helpers.js';

type MiddyFactory = (handler: (...a: any[]) => any, plugin?: Record<string, unknown>) => any;
const versions: Array<[string, MiddyFactory]> = [
  ['middy 5', middy5 as unknown as MiddyFactory],
  ['middy 6', middy6 as unknown as MiddyFactory],
  ['middy 7', middy7 as unknown as MiddyFactory],
];

describe.each(versions)('otelFlush with %s', (_name, middy) => {
  beforeEach(() => resetProcessState());

  it('success: one span, user span is its child, flushed before the response', async () => {
    const m = memoryTracing();
    let flushesAtHandler = -1;
    const h = middy(async () => {
      flushesAtHandler = m.flushes;
      tracer(m).startActiveSpan('work', (s) => s.end());
      return { ok: true };
    }).use(otelFlush({ tracerProvider: m.provider, handleSigterm: false }));
    expect(await h({}, fakeContext({ functionName: 'fn' }))).toEqual({ ok: true });
    expect(flushesAtHandler).toBe(0);
    expect(m.flushes).toBe(1);
    const spans = m.spans();
    const root = spans.find((s) => s.name === 'fn')!;
    expect(root).toBeDefined();
    expect(childOf(spans, root).map((s) => s.name)).toEqual(['work']);
  });

  it('error: ERROR span, the same error reaches the caller', async () => {
    const m = memoryTracing();
    const err = new RangeError('nope');
    const h = middy(async () => { throw err; }).use(otelFlush({ tracerProvider: m.provider, handleSigterm: false }));
    await expect(h({}, fakeContext())).rejects.toBe(err);
    expect(m.spans()[0]?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'nope' });
    expect(m.flushes).toBe(1);
  });

  it('another middleware returning early: span ended and flushed before the response', async () => {
    const m = memoryTracing();
    let handlerRan = false;
    const h = middy(async () => { handlerRan = true; return 'handler'; })
      .use(otelFlush({ tracerProvider: m.provider, handleSigterm: false }))
      .use({ before: async () => 'cached' });
    const out = await h({}, fakeContext());
    expect(out).toBe('cached');
    expect(handlerRan).toBe(false);
    expect(m.spans()).toHaveLength(1);
    expect(m.flushes).toBe(1);
  });

  it('an onError middleware turning the error into a response: exception recorded, response kept', async () => {
    const m = memoryTracing();
    const h = middy(async () => { throw new Error('db down'); })
      .use(otelFlush({ tracerProvider: m.provider, handleSigterm: false }))
      .use({ onError: async (req: { response?: unknown }) => { req.response = { statusCode: 503 }; } });
    expect(await h({}, fakeContext())).toEqual({ statusCode: 503 });
    expect(m.spans()).toHaveLength(1);
    expect(m.spans()[0]?.events[0]?.name).toBe('exception');
    expect(m.flushes).toBe(1);
  });

  it("timeoutEarlyResponse: middy's timeout error is recorded and flushed", async () => {
    const m = memoryTracing();
    const h = middy(() => new Promise((r) => setTimeout(r, 2000)), { timeoutEarlyInMillis: 400 })
      .use(otelFlush({ tracerProvider: m.provider, handleSigterm: false, deadlineMarginMs: 0 }));
    await expect(h({}, fakeContext({ timeoutMs: 500 }))).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(m.spans()).toHaveLength(1);
    expect(m.spans()[0]?.status.code).toBe(SpanStatusCode.ERROR);
    expect(m.flushes).toBe(1);
  });

  it('two invokes give two spans (state does not leak between requests)', async () => {
    const m = memoryTracing();
    const h = middy(async (e: { i: number }) => e.i).use(otelFlush({ tracerProvider: m.provider, handleSigterm: false }));
    expect(await h({ i: 1 }, fakeContext())).toBe(1);
    expect(await h({ i: 2 }, fakeContext())).toBe(2);
    expect(m.spans()).toHaveLength(2);
    expect(m.spans()[1]?.parentSpanContext).toBeUndefined();
    expect(m.flushes).toBe(2);
  });
});
