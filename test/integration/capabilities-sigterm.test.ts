// README "SIGTERM" options: handleSigterm=false leaves SIGTERM to Node's default; the
// shutdownTimeoutMs budget (env OTEL_LAMBDA_SHUTDOWN_TIMEOUT_MS) bounds the final flush.
import { describe, expect, it } from 'vitest';
import { flushOutcomes, startCapability } from './capabilities-helpers.js';
import { invocationSpan } from './core-helpers.js';

describe('SIGTERM options', () => {
  it('handleSigterm=false: no final flush, the pending span is lost, SIGTERM ends the process', async () => {
    const { rx, sim, close } = await startCapability('sigterm-options.handler', { env: { TEST_HANDLE_SIGTERM: 'false' } });
    try {
      expect(sim.extensions.map((e) => e.name)).toContain('capabilities-sigterm');
      rx.setBehavior({ delayMs: 150 }); // the invoke's flush is on the wire when the late span ends
      const r = await sim.invoke({ lateSpanMs: 30 });
      expect(invocationSpan(rx.spans(), r.requestId)).toBeDefined();
      expect(rx.spans({ name: 'late-span' })).toHaveLength(0);
      rx.setBehavior({});
      const s = await sim.shutdown();
      expect(s).toMatchObject({ signal: 'SIGTERM', exitSignal: 'SIGTERM', exitedWithinGrace: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(rx.spans({ name: 'late-span' })).toHaveLength(0);
      expect(flushOutcomes(sim.logs).map((o) => o.reason)).toEqual(['invoke']);
    } finally {
      await close();
    }
  }, 30_000);

  it('OTEL_LAMBDA_SHUTDOWN_TIMEOUT_MS bounds the final flush when the collector never answers', async () => {
    const { rx, sim, close } = await startCapability('sigterm-options.handler', {
      shutdownGraceMs: 6000,
      // The exporter's own timeout (the flush timeout) longer than the shutdown budget, so the budget binds.
      env: { OTEL_LAMBDA_SHUTDOWN_TIMEOUT_MS: '1500', OTEL_LAMBDA_FLUSH_TIMEOUT_MS: '5000' },
    });
    try {
      rx.setBehavior({ delayMs: 150 });
      await sim.invoke({ lateSpanMs: 30 });
      expect(rx.spans({ name: 'late-span' })).toHaveLength(0);
      rx.setBehavior({ blackHole: true });
      const s = await sim.shutdown();
      expect(s).toMatchObject({ signal: 'SIGTERM', exitSignal: 'SIGTERM', exitedWithinGrace: true });
      // It used the configured budget (not the 400 ms default), and no more than it plus slack.
      expect(s.durationMs).toBeGreaterThanOrEqual(1300);
      expect(s.durationMs).toBeLessThan(4500);
      const last = flushOutcomes(sim.logs).at(-1);
      expect(last).toMatchObject({ reason: 'shutdown', status: 'timeout' });
      expect(last!.budgetMs).toBeLessThanOrEqual(1500);
    } finally {
      await close();
    }
  }, 30_000);
});
