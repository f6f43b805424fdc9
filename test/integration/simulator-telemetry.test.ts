// Telemetry API: subscription rules, event order and Lambda's delivery timing, received by a
// listener inside the function process (test/fixtures/sim/ext.mjs with EXT_SUBSCRIBE=1).
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LambdaSimulator, type SimulatorOptions } from '../../src/testing/index.js';

const taskRoot = fileURLToPath(new URL('../fixtures/sim', import.meta.url));
const sims: LambdaSimulator[] = [];

async function start(env: Record<string, string>, extra: Partial<SimulatorOptions> = {}): Promise<LambdaSimulator> {
  const sim = await LambdaSimulator.start({ taskRoot, handler: 'ext.handler', env: { EXT_SUBSCRIBE: '1', ...env }, ...extra });
  sims.push(sim);
  return sim;
}

interface Received {
  type: string;
  record: Record<string, any>;
  receivedAt: number;
}

afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

describe('Telemetry API delivery', () => {
  it('delivers init events in order and each report after its invoke ended, held while frozen', async () => {
    const atFreeze: { emitted: boolean; delivered: boolean }[] = [];
    const holder: { sim?: LambdaSimulator } = {};
    const isReport = (requestId: string) => (e: { type: string; record: unknown }) => e.type === 'platform.report' && (e.record as { requestId?: string }).requestId === requestId;
    const sim = await start({}, {
      onFreeze: ({ requestId }) => {
        atFreeze.push({
          emitted: holder.sim!.telemetry.emitted.some(isReport(requestId)),
          delivered: holder.sim!.telemetry.batches.some((b) => b.events.some(isReport(requestId))),
        });
      },
    });
    holder.sim = sim;
    expect(sim.telemetry.subscriptions).toHaveLength(1);
    expect(sim.telemetry.subscriptions[0]).toMatchObject({ extensionName: 'sim-ext', types: ['platform'], buffering: { timeoutMs: 25 } });
    expect(sim.telemetry.subscriptions[0]!.deliverTo).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/telemetry$/);

    const r1 = await sim.invoke({});
    const ended1 = Date.now();
    const r2 = await sim.invoke({});
    const ended2 = Date.now();
    const state = (await sim.invoke({ action: 'state' })).response as { subscribe: { status: number }; telemetry: Received[] };
    expect(state.subscribe.status).toBe(200);
    const got = state.telemetry;
    const types = got.map((e) => e.type);
    const at = (type: string, requestId?: string): number => got.findIndex((e) => e.type === type && (requestId === undefined || e.record.requestId === requestId));

    expect(at('platform.initStart')).toBeGreaterThanOrEqual(0);
    expect(at('platform.initStart')).toBeLessThan(at('platform.initRuntimeDone'));
    expect(at('platform.initRuntimeDone')).toBeLessThan(at('platform.initReport'));
    expect(at('platform.initReport')).toBeLessThan(at('platform.start', r1.requestId));
    for (const r of [r1, r2]) {
      expect(at('platform.start', r.requestId)).toBeLessThan(at('platform.runtimeDone', r.requestId));
      expect(at('platform.runtimeDone', r.requestId)).toBeLessThan(at('platform.report', r.requestId));
    }
    expect(at('platform.report', r1.requestId)).toBeLessThan(at('platform.start', r2.requestId));
    // Lambda emits report N after invoke N ended: the listener receives it during the next invoke.
    expect(got[at('platform.report', r1.requestId)]!.receivedAt).toBeGreaterThanOrEqual(ended1);
    expect(got[at('platform.report', r2.requestId)]!.receivedAt).toBeGreaterThanOrEqual(ended2);
    expect(atFreeze.slice(0, 2)).toEqual([
      { emitted: true, delivered: false },
      { emitted: true, delivered: false },
    ]);
    expect(types.filter((t) => t === 'platform.initReport')).toHaveLength(1);

    const report1 = got[at('platform.report', r1.requestId)]!.record;
    expect(report1.status).toBe('success');
    expect(report1.metrics.memorySizeMB).toBe(128);
    expect(report1.metrics.maxMemoryUsedMB).toBeGreaterThan(10);
    expect(report1.metrics.billedDurationMs).toBe(Math.ceil(report1.metrics.durationMs));
    expect(report1.metrics.initDurationMs).toBeGreaterThan(0);
    expect(got[at('platform.report', r2.requestId)]!.record.metrics.initDurationMs).toBeUndefined();
    const done1 = got[at('platform.runtimeDone', r1.requestId)]!.record;
    expect(done1.status).toBe('success');
    expect(done1.metrics.producedBytes).toBe(JSON.stringify({ ok: true }).length);
    expect(done1.spans.map((s: { name: string }) => s.name)).toEqual(['responseLatency', 'responseDuration']);
    expect(got[at('platform.initStart')]!.record).toMatchObject({ functionName: 'test-function', initializationType: 'on-demand', phase: 'init' });
  });

  it('delivers the last report after SIGTERM, within the grace period', async () => {
    const sim = await start({ EXT_IGNORE_SIGTERM: '1' });
    const r = await sim.invoke({});
    const before = sim.telemetry.batches.length;
    expect(sim.telemetry.batches.some((b) => b.events.some((e) => e.type === 'platform.report'))).toBe(false);
    await sim.shutdown();
    const after = sim.telemetry.batches.slice(before);
    const last = after.find((b) => b.events.some((e) => e.type === 'platform.report' && (e.record as { requestId: string }).requestId === r.requestId));
    expect(last?.ok).toBe(true);
  });

  it('reports a handler error in runtimeDone and report with its errorType', async () => {
    const sim = await start({});
    const r = await sim.invoke({ action: 'throw' });
    expect(r.error?.errorType).toBe('RangeError');
    const got = ((await sim.invoke({ action: 'state' })).response as { telemetry: Received[] }).telemetry;
    const mine = got.filter((e) => e.record.requestId === r.requestId);
    expect(mine.map((e) => [e.type, e.record.status, e.record.errorType])).toEqual([
      ['platform.start', undefined, undefined],
      ['platform.runtimeDone', 'error', 'RangeError'],
      ['platform.report', 'error', 'RangeError'],
    ]);
  });

  it('rejects invalid buffering with 400 and subscriptions after init with 403', async () => {
    const bad = await start({ EXT_SUB_BUFFERING: '{"timeoutMs":10}' });
    const state = (await bad.invoke({ action: 'state' })).response as { subscribe: { status: number; body: string } };
    expect(state.subscribe.status).toBe(400);
    expect(JSON.parse(state.subscribe.body)).toMatchObject({ errorType: 'ValidationError' });
    expect(bad.telemetry.subscriptions).toHaveLength(0);

    const late = (await bad.invoke({
      action: 'subscribe',
      body: { schemaVersion: '2022-12-13', types: ['platform'], buffering: { maxItems: 1000, maxBytes: 262144, timeoutMs: 25 }, destination: { protocol: 'HTTP', URI: 'http://sandbox.localdomain:4243/x' } },
    })).response as { status: number; body: { errorType: string } };
    expect(late.status).toBe(403);
  });
});
