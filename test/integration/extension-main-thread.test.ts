// Where module loading waits (an ES module awaiting setupTelemetry(), the zero-code handler),
// the extension registers from the main thread: no worker thread, the same protocol (registered
// before the runtime's first /next, /event/next after every invoke), the same after-response
// flush. CommonJS keeps the worker. Fixtures import `otel-lambda-flush` from dist/: run
// `npm run build` first.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LambdaSimulator, OtlpReceiver, type InvokeResult } from '../../src/testing/index.js';
import { requireBuild, startZeroCode } from './zero-code-helpers.js';

const taskRoot = fileURLToPath(new URL('../fixtures/extension/', import.meta.url));
const COLLECTOR_DELAY_MS = 50;
const AFTER_RESPONSE = { OTEL_LAMBDA_EXTENSION: 'true', OTEL_LAMBDA_FLUSH_MODE: 'after-response' };

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

interface Probe {
  thread: 'worker' | 'main' | null;
  state: string | null;
  gating: boolean | null;
  threads: number;
}

async function start(handler: string, missing: string[], env: Record<string, string> = AFTER_RESPONSE) {
  const rx = await OtlpReceiver.start();
  rx.setBehavior({ delayMs: COLLECTOR_DELAY_MS });
  open.push(rx);
  const sim = await LambdaSimulator.start({
    taskRoot,
    handler,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', ...env },
    // Frozen now: the invoke's span must already be at the receiver.
    onFreeze: ({ requestId }) => {
      if (rx.spans({ attributes: { 'faas.invocation_id': requestId } }).length !== 1) missing.push(requestId);
    },
  });
  open.push(sim);
  return { rx, sim };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Invokes `n` times; the caller never waits for the collector, the billed time includes the flush. */
async function expectAfterResponse(sim: LambdaSimulator, n: number): Promise<InvokeResult[]> {
  const results: InvokeResult[] = [];
  for (let i = 0; i < n; i++) results.push(await sim.invoke({}));
  expect(results.every((r) => r.status === 'success' && r.frozen)).toBe(true);
  expect(median(results.map((r) => r.latencyMs))).toBeLessThan(COLLECTOR_DELAY_MS);
  expect(median(results.map((r) => r.billedDurationMs))).toBeGreaterThanOrEqual(COLLECTOR_DELAY_MS);
  return results;
}

async function probe(sim: LambdaSimulator): Promise<Probe> {
  const r = await sim.invoke({ probe: true });
  expect(r.status).toBe('success');
  return r.response as Probe;
}

describe('extension registered from the main thread', () => {
  it('ESM awaiting setupTelemetry(): registers without a worker thread, flushes after the response, loses nothing across freezes and SIGTERM', async () => {
    const missing: string[] = [];
    const { rx, sim } = await start('main-thread.handler', missing);
    expect(sim.extensions).toMatchObject([{ name: 'otel-lambda-flush', events: ['INVOKE'], internal: true }]);
    const where = await probe(sim);
    expect(where).toMatchObject({ thread: 'main', state: 'registered', gating: true });
    await expectAfterResponse(sim, 30);
    expect(missing).toEqual([]);
    // One more invoke whose flush is still running at SIGTERM is not possible (the invoke ends
    // after it), so what SIGTERM must keep is the process alive within the grace and no loss.
    const last = await sim.invoke({ spans: 3 });
    expect(last.status).toBe('success');
    const s = await sim.shutdown();
    expect(s.signal).toBe('SIGTERM');
    expect(s.exitedWithinGrace).toBe(true);
    expect(rx.spans({ name: 'work' })).toHaveLength(33);

    // The same function through CommonJS has a worker thread: one OS thread more.
    const cjs = await start('commonjs-probe.handler', []);
    const worker = await probe(cjs.sim);
    expect(worker).toMatchObject({ thread: 'worker', state: 'registered', gating: true });
    expect(where.threads).toBeLessThan(worker.threads);
  });

  it('CommonJS still registers through the worker (module loading cannot wait) and flushes after the response', async () => {
    const missing: string[] = [];
    const { sim } = await start('commonjs-probe.handler', missing);
    expect(sim.extensions).toMatchObject([{ events: ['INVOKE'] }]);
    await expectAfterResponse(sim, 15);
    expect(missing).toEqual([]);
  });

  it('ESM without the await: the worker boots when the handler is wrapped, registers before the first /next, flushes after the response', async () => {
    const missing: string[] = [];
    const { sim } = await start('esm-noawait.handler', missing);
    expect(sim.extensions).toMatchObject([{ events: ['INVOKE'] }]);
    expect(await probe(sim)).toMatchObject({ thread: 'worker', state: 'registered', gating: true });
    await expectAfterResponse(sim, 10);
    expect(missing).toEqual([]);
    expect(sim.logs.join('\n')).not.toMatch(/flushing before the response/);
  });

  it('sync mode by env: registers for no event from the main thread, flushes before the response', async () => {
    const missing: string[] = [];
    const { sim } = await start('main-thread.handler', missing, { OTEL_LAMBDA_EXTENSION: 'true', OTEL_LAMBDA_FLUSH_MODE: 'sync' });
    expect(sim.extensions).toMatchObject([{ events: [] }]);
    expect(await probe(sim)).toMatchObject({ thread: 'main', state: 'registered', gating: false });
    for (let i = 0; i < 5; i++) expect((await sim.invoke({})).latencyMs).toBeGreaterThanOrEqual(COLLECTOR_DELAY_MS);
    expect(missing).toEqual([]);
  });

  it('then() called and the handler wrapped without waiting: no deadlock, never two registrations, nothing lost', async () => {
    const missing: string[] = [];
    const { sim } = await start('then-before-wrap.handler', missing);
    // The registration raced the runtime's first /next: registered, or refused (then flushed before the response).
    expect(sim.extensions.length).toBeLessThanOrEqual(1);
    const where = await probe(sim);
    expect(where.thread).toBe('main');
    for (let i = 0; i < 10; i++) expect((await sim.invoke({})).status).toBe('success');
    expect(missing).toEqual([]);
    expect(sim.logs.join('\n')).toMatch(/await setupTelemetry\(\) before wrapping the handler/);
    if (sim.extensions.length === 0) expect(sim.logs.join('\n')).toMatch(/extension registration refused with HTTP 403: flushing before the response/);
    else expect(where.gating).toBe(true);
  });

  it('registration refused: the main thread falls back to flushing before the response, warns, never hangs', async () => {
    const missing: string[] = [];
    const rx = await OtlpReceiver.start();
    open.push(rx);
    const sim = await LambdaSimulator.start({
      taskRoot,
      handler: 'main-thread.handler',
      closeRegistrationEarly: true,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_METRICS_EXPORTER: 'none', ...AFTER_RESPONSE },
      onFreeze: ({ requestId }) => void (rx.spans({ attributes: { 'faas.invocation_id': requestId } }).length === 1 || missing.push(requestId)),
    });
    open.push(sim);
    expect(sim.extensions).toEqual([]);
    for (let i = 0; i < 5; i++) expect((await sim.invoke({})).status).toBe('success');
    expect(missing).toEqual([]);
    expect(await probe(sim)).toMatchObject({ thread: 'main', state: 'failed', gating: false });
    expect(sim.logs.join('\n')).toMatch(/extension registration refused with HTTP 403: flushing before the response/);
  });

  it('zero-code handler (exec wrapper): registers from the main thread while it awaits the providers', async () => {
    requireBuild();
    const pair = await startZeroCode({ taskRoot, handler: 'probe.handler', env: AFTER_RESPONSE });
    open.push(pair);
    expect(pair.sim.extensions).toMatchObject([{ events: ['INVOKE'] }]);
    const where = await probe(pair.sim);
    expect(where).toMatchObject({ thread: 'main', state: 'registered', gating: true });
    for (let i = 0; i < 5; i++) {
      const r = await pair.sim.invoke({});
      expect(r.status).toBe('success');
      expect(pair.atFreeze.get(r.requestId)?.filter((s) => s.attributes['faas.invocation_id'] === r.requestId)).toHaveLength(1);
    }
  });
});
