// withFlush under the real runtime client (Node 24) and the simulator's freezes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LambdaSimulator, OtlpReceiver, ReceivedSpan } from '../../src/testing/index.js';
import { FREEZE_RECEIVER_DELAY_MS, invocationSpan, startPair } from './core-helpers.js';

describe('withFlush (ESM) through the simulator', () => {
  let rx: OtlpReceiver;
  let sim: LambdaSimulator;
  let close: () => Promise<void>;
  const atFreeze = new Map<string, ReceivedSpan[]>();

  beforeAll(async () => {
    ({ rx, sim, close } = await startPair('wrapper.handler', {
      onFreeze: ({ requestId }) => {
        atFreeze.set(requestId, rx.spans());
      },
    }));
    rx.setBehavior({ delayMs: FREEZE_RECEIVER_DELAY_MS });
  });
  afterAll(() => close?.());

  it('200 invokes with a freeze after each: every span is at the receiver before its freeze', async () => {
    const t0 = performance.now();
    for (let n = 0; n < 200; n++) {
      const r = await sim.invoke({ n });
      expect(r.status).toBe('success');
      expect(r.response).toEqual({ ok: true, n });
      expect(r.frozen).toBe(true);
      const seen = atFreeze.get(r.requestId);
      expect(seen, `onFreeze ran for invoke ${n}`).toBeDefined();
      const span = invocationSpan(seen!, r.requestId);
      expect(span, `span of invoke ${n} at the freeze`).toBeDefined();
      const child = seen!.find((s) => s.name === 'child-work' && s.parentSpanId === span!.spanId);
      expect(child, `child span of invoke ${n}`).toBeDefined();
      expect(child!.traceId).toBe(span!.traceId);
      expect(span!.attributes['faas.coldstart']).toBe(n === 0);
    }
    expect(performance.now() - t0).toBeLessThan(60_000);
    const spans = rx.spans({ name: 'test-function' });
    expect(spans).toHaveLength(200);
    const first = spans[0]!;
    expect(first.kind).toBe('server');
    expect(first.attributes).toMatchObject({
      'faas.trigger': 'other',
      'cloud.account.id': '123456789012',
      'cloud.resource_id': 'arn:aws:lambda:us-east-1:123456789012:function:test-function',
    });
    expect(first.resource).toMatchObject({
      'cloud.provider': 'aws',
      'cloud.platform': 'aws_lambda',
      'cloud.region': 'us-east-1',
      'faas.name': 'test-function',
      'faas.version': '$LATEST',
      'faas.max_memory': 128 * 1024 * 1024,
      'service.name': 'test-function',
    });
    expect(typeof first.resource['faas.instance']).toBe('string');
  }, 90_000);
});

describe('errors reach the runtime unchanged', () => {
  let bare: Awaited<ReturnType<typeof startPair>>;
  let wrapped: Awaited<ReturnType<typeof startPair>>;

  beforeAll(async () => {
    [bare, wrapped] = await Promise.all([startPair('bare.handler'), startPair('wrapper.handler')]);
  });
  afterAll(async () => {
    await bare?.close();
    await wrapped?.close();
  });

  it.each(['throw', 'reject', 'throw-string'])('%s: same errorType and errorMessage, ERROR span with the exception', async (mode) => {
    const a = await bare.sim.invoke({ mode });
    const b = await wrapped.sim.invoke({ mode });
    expect(a.status).toBe('error');
    expect(b.status).toBe('error');
    expect(b.error?.errorType).toBe(a.error?.errorType);
    expect(b.error?.errorMessage).toBe(a.error?.errorMessage);
    const span = invocationSpan(wrapped.rx.spans(), b.requestId);
    expect(span?.status.code).toBe('error');
    const exception = span?.events.find((e) => e.name === 'exception');
    expect(exception?.attributes['exception.message']).toBe(a.error?.errorMessage);
  });
});

describe('deadline and a black-hole collector', () => {
  it('timeout: the timed-out span reaches the receiver before the kill', async () => {
    const { rx, sim, close } = await startPair('wrapper.handler', { timeoutMs: 1500 });
    try {
      // Warm first: on a cold process the guard's flush (300 ms before the deadline) may wait for
      // the OTLP exporter to finish loading, which on a loaded 2-core machine can take longer.
      expect((await sim.invoke({ n: 0 })).status).toBe('success');
      const r = await sim.invoke({ mode: 'sleep', ms: 10_000 });
      expect(r.status).toBe('timeout');
      const span = invocationSpan(rx.spans(), r.requestId);
      expect(span, 'timed-out span at the receiver').toBeDefined();
      expect(span!.status.code).toBe('error');
      expect(span!.attributes['error.type']).toBe('timeout');
      // It arrived before the kill, not at some later flush (the process is gone).
      expect(rx.requests().filter((q) => q.path === '/v1/traces')).toHaveLength(2);
      const next = await sim.invoke({ n: 1 });
      expect(next.coldStart).toBe(true);
      expect(rx.spans({ name: 'test-function' })).toHaveLength(3);
    } finally {
      await close();
    }
  });

  it('black hole: every invoke returns within about flushTimeoutMs, results unchanged', async () => {
    const flushTimeoutMs = 300;
    // The exporters' own request timeout is 10 s (the fixture sets it), so only the library's
    // flush budget can bring the invoke back at about 300 ms.
    const { rx, sim, close } = await startPair('black-hole.handler', { env: { OTEL_LAMBDA_FLUSH_TIMEOUT_MS: String(flushTimeoutMs) } });
    try {
      await sim.invoke({ n: -1 }); // cold start outside the measurement
      rx.setBehavior({ blackHole: true });
      const latencies: number[] = [];
      for (let n = 0; n < 5; n++) {
        const r = await sim.invoke({ n });
        expect(r.status).toBe('success');
        expect(r.response).toEqual({ ok: true, n });
        latencies.push(r.latencyMs);
      }
      console.log(`black-hole latencies (ms): ${latencies.map((l) => l.toFixed(0)).join(', ')}`);
      // The bound (flushTimeoutMs + 50 ms) on the median; each single invoke gets more
      // room for a noisy 2-core machine, still far below the 10 s exporter default.
      const median = [...latencies].sort((a, b) => a - b)[2]!;
      expect(median).toBeLessThan(flushTimeoutMs + 50);
      for (const l of latencies) expect(l).toBeLessThan(flushTimeoutMs + 250);
      // It did wait for the collector, until the circuit breaker stopped waiting for it.
      expect(latencies[0]).toBeGreaterThanOrEqual(flushTimeoutMs - 20);
    } finally {
      await close();
    }
  });
});

describe('module formats, handler shapes', () => {
  it('CommonJS handler (setupTelemetry not awaited): spans from the first invoke on', async () => {
    const { rx, sim, close } = await startPair('cjs-wrapper.handler');
    try {
      const r1 = await sim.invoke({ n: 1 });
      expect(r1.response).toEqual({ ok: true, format: 'cjs', n: 1 });
      expect(invocationSpan(rx.spans(), r1.requestId)).toBeDefined();
      const r2 = await sim.invoke({ mode: 'throw' });
      expect(r2.error).toMatchObject({ errorType: 'RangeError', errorMessage: 'cjs failure' });
      expect(invocationSpan(rx.spans(), r2.requestId)?.status.code).toBe('error');
    } finally {
      await close();
    }
  });

  it('callback handler on Node 24: the 2-parameter wrapper is accepted and adapts the callback', async () => {
    const { rx, sim, close } = await startPair('callback.handler');
    try {
      const ok = await sim.invoke({ n: 3 });
      expect(ok.status).toBe('success');
      expect(ok.response).toEqual({ via: 'callback', n: 3 });
      const bad = await sim.invoke({ fail: true });
      expect(bad.error).toMatchObject({ errorType: 'Error', errorMessage: 'callback failure' });
      expect(invocationSpan(rx.spans(), ok.requestId)).toBeDefined();
      expect(invocationSpan(rx.spans(), bad.requestId)?.status.code).toBe('error');
    } finally {
      await close();
    }
  });

  it('streaming handler: body streamed, span ended and flushed after the stream', async () => {
    const { rx, sim, close } = await startPair('streaming.handler');
    try {
      const r = await sim.invoke({});
      expect(r.status).toBe('success');
      expect(r.response).toBe('chunk-0;chunk-1;chunk-2;');
      const span = invocationSpan(rx.spans(), r.requestId);
      expect(span).toBeDefined();
      expect(span!.durationMs).toBeGreaterThanOrEqual(50);
      expect(rx.spans({ name: 'child-work' }).some((c) => c.parentSpanId === span!.spanId)).toBe(true);
    } finally {
      await close();
    }
  });
});
