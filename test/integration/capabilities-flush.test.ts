// README "What is flushed, and when": providers passed as options, the flush budget's margin,
// the deadline guard's margin (0 disables it; a handler that finishes after the guard makes no
// second span).
import { describe, expect, it } from 'vitest';
import type { OtlpReceiver, ReceiverSnapshot } from '../../src/testing/index.js';
import { flushOutcomes, startCapability } from './capabilities-helpers.js';
import { invocationSpan } from './core-helpers.js';

describe('providers passed as options', () => {
  it('are used and flushed (traces, metrics, logs) with nothing registered globally', async () => {
    const atFreeze: ReceiverSnapshot[] = [];
    const holder: { rx?: OtlpReceiver } = {};
    const { rx, sim, close } = await startCapability('own-providers.handler', {
      onFreeze: () => {
        atFreeze.push(holder.rx!.snapshot());
      },
    });
    holder.rx = rx;
    try {
      for (let n = 0; n < 2; n++) {
        const r = await sim.invoke({ n });
        expect(r.response).toEqual({ n });
        const seen = atFreeze[n];
        expect(seen, `freeze ${n}`).toBeDefined();
        expect(invocationSpan(seen!.spans, r.requestId), 'invocation span from the passed tracer provider').toBeDefined();
        expect(seen!.logs.map((l) => l.body)).toContain(`own log ${n}`);
        expect(seen!.metrics.filter((p) => p.name === 'own.invocations').at(-1)?.value).toBe(n + 1); // cumulative (SDK default)
      }
      const outcomes = flushOutcomes(sim.logs);
      expect(outcomes).toHaveLength(2);
      for (const o of outcomes) expect(o).toMatchObject({ reason: 'invoke', status: 'ok', signals: { traces: 'ok', metrics: 'ok', logs: 'ok' } });
    } finally {
      await close();
    }
  }, 30_000);
});

describe('flush budget and deadline guard margins', () => {
  it('flushMarginMs: the budget is at most the remaining time minus the margin', async () => {
    const { sim, close } = await startCapability('deadline.handler', {
      timeoutMs: 1000,
      env: { OTEL_LAMBDA_DEADLINE_MARGIN_MS: '0', OTEL_LAMBDA_FLUSH_MARGIN_MS: '150' },
    });
    try {
      const r = await sim.invoke({ ms: 600 });
      expect(r.status).toBe('success');
      const [o] = flushOutcomes(sim.logs);
      expect(o?.reason).toBe('invoke');
      // remaining ≤ 1000 - 600; minus the 150 ms margin. Without the margin it could be up to 400.
      expect(o!.budgetMs).toBeLessThanOrEqual(250);
      expect(o!.budgetMs).toBeGreaterThanOrEqual(0);
    } finally {
      await close();
    }
  }, 30_000);

  it('deadlineMarginMs=0 (env) disables the guard: a timed-out invoke leaves no span', async () => {
    const { rx, sim, close } = await startCapability('deadline.handler', { timeoutMs: 800, env: { OTEL_LAMBDA_DEADLINE_MARGIN_MS: '0' } });
    try {
      const r = await sim.invoke({ ms: 5000 });
      expect(r.status).toBe('timeout');
      expect(flushOutcomes(sim.logs)).toEqual([]);
      const next = await sim.invoke({ ms: 0 }); // a new environment, whose flush works
      expect(next.status).toBe('success');
      expect(invocationSpan(rx.spans(), next.requestId)).toBeDefined();
      expect(invocationSpan(rx.spans(), r.requestId)).toBeUndefined();
    } finally {
      await close();
    }
  }, 30_000);

  it('a handler that finishes after the guard fired: one span (the timeout), the result unchanged', async () => {
    // Guard at 2000 - 1000 = 1000 ms, handler done at 1300 ms, deadline at 2000 ms.
    const { rx, sim, close } = await startCapability('deadline.handler', { timeoutMs: 2000, env: { OTEL_LAMBDA_DEADLINE_MARGIN_MS: '1000' } });
    try {
      const r = await sim.invoke({ ms: 1300 });
      expect(r.status).toBe('success');
      expect(r.response).toEqual({ slept: 1300 });
      const spans = rx.spans({ attributes: { 'faas.invocation_id': r.requestId } });
      expect(spans).toHaveLength(1);
      expect(spans[0]!.status.code).toBe('error');
      expect(spans[0]!.attributes['error.type']).toBe('timeout');
      expect(flushOutcomes(sim.logs).map((o) => o.reason)[0]).toBe('deadline');
    } finally {
      await close();
    }
  }, 30_000);
});
