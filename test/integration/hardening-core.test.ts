// Careless user code never takes the function down or lies in its telemetry (issue: hardening).
// Real runtime client, real SDK and exporter, a freeze after every invoke.
import { describe, expect, it } from 'vitest';
import { invocationSpan } from './core-helpers.js';
import { startCapability } from './capabilities-helpers.js';

const SQS_EVENT = {
  Records: [1, 2].map((i) => ({
    messageId: `m${i}`,
    body: 'x',
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1', SenderId: 's', ApproximateFirstReceiveTimestamp: '1' },
    messageAttributes: {},
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:q',
    awsRegion: 'eu-west-1',
  })),
};

describe('user callbacks that reject', () => {
  it('async requestHook, responseHook, onFlush and recordContext rejecting: every invoke succeeds in one environment, one warning each', async () => {
    const { rx, sim, close } = await startCapability('hardening.hooks');
    try {
      const results = [];
      for (let n = 0; n < 5; n++) results.push(await sim.invoke(n % 2 === 0 ? { n } : { ...SQS_EVENT, n }));
      expect(results.map((r) => r.status)).toEqual(Array(5).fill('success'));
      expect(results.map((r) => r.coldStart)).toEqual([true, false, false, false, false]);
      for (const r of results) expect(invocationSpan(rx.spans(), r.requestId), `span of ${r.requestId}`).toBeDefined();
      for (const name of ['requestHook', 'responseHook', 'onFlush', 'recordContext']) {
        expect(sim.logs.filter((l) => l.includes(`${name} failed`)), name).toHaveLength(1);
      }
    } finally {
      await close();
    }
  }, 60_000);
});

describe('a bad extractor', () => {
  it.each([
    ['badExtractor', 'not a Context'],
    ['asyncExtractor', 'a promise'],
  ])('%s: the handler runs, the span is exported, one warning', async (handler, says) => {
    const { rx, sim, close } = await startCapability(`hardening.${handler}`);
    try {
      for (let n = 0; n < 3; n++) {
        const r = await sim.invoke({ n });
        expect(r.status).toBe('success');
        expect(r.response).toEqual({ ok: true, n });
        expect(invocationSpan(rx.spans(), r.requestId)?.status.code).toBe('unset');
      }
      expect(sim.logs.filter((l) => l.includes('extractor returned'))).toEqual([expect.stringContaining(says)]);
    } finally {
      await close();
    }
  }, 60_000);
});

describe('a deadline margin larger than the function timeout', () => {
  it('warns once; a handler that succeeds in a few ms gets no timeout error', async () => {
    const { rx, sim, close } = await startCapability('hardening.bigMargin', { timeoutMs: 3000 });
    try {
      for (let n = 0; n < 3; n++) {
        const r = await sim.invoke({ n });
        expect(r.status).toBe('success');
        const span = invocationSpan(rx.spans(), r.requestId);
        expect(span?.status.code).toBe('unset');
        expect(span?.attributes['error.type']).toBeUndefined();
      }
      expect(sim.logs.filter((l) => l.includes('deadlineMarginMs 50000'))).toHaveLength(1);
    } finally {
      await close();
    }
  }, 60_000);
});

describe('a handler stuck inside a child span past its deadline', () => {
  it('the open child spans reach the receiver before the kill: ended, marked as cut short by the timeout, in the invocation trace', async () => {
    const { rx, sim, close } = await startCapability('hardening.hung', { timeoutMs: 1500 });
    try {
      const r = await sim.invoke({});
      expect(r.status).toBe('timeout');
      const inv = invocationSpan(rx.spans(), r.requestId);
      expect(inv?.attributes['error.type']).toBe('timeout');
      const hung = rx.spans().find((s) => s.name === 'hung-call');
      const inner = rx.spans().find((s) => s.name === 'inner-wait');
      for (const child of [hung, inner]) {
        expect(child, 'child span exported').toBeDefined();
        expect(child!.traceId).toBe(inv!.traceId);
        expect(child!.status.code).toBe('error');
        expect(child!.attributes).toMatchObject({ 'error.type': 'timeout', 'otel_lambda.cut_short': true });
      }
      expect(hung!.parentSpanId).toBe(inv!.spanId);
      expect(inner!.parentSpanId).toBe(hung!.spanId);
    } finally {
      await close();
    }
  }, 60_000);
});
