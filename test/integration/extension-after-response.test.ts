// The in-process extension under the real runtime client: flush after the response, nothing
// lost at the freeze, fallbacks when registration is refused or INVOKE is not allowed.
// Fixtures import `otel-lambda-flush` from dist/: run `npm run build` first.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LambdaSimulator, OtlpReceiver, type InvokeResult } from '../../src/testing/index.js';

const taskRoot = fileURLToPath(new URL('../fixtures/extension/', import.meta.url));
const COLLECTOR_DELAY_MS = 50;

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function receiver(delayMs = COLLECTOR_DELAY_MS): Promise<OtlpReceiver> {
  const rx = await OtlpReceiver.start();
  rx.setBehavior({ delayMs });
  open.push(rx);
  return rx;
}

async function simulator(rx: OtlpReceiver, handler: string, env: Record<string, string>, extra: Partial<Parameters<typeof LambdaSimulator.start>[0]> = {}) {
  const sim = await LambdaSimulator.start({
    taskRoot,
    handler,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_LAMBDA_TELEMETRY_PORT: '0', ...env },
    ...extra,
  });
  open.push(sim);
  return sim;
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;
const spansOf = (rx: OtlpReceiver, requestId: string) => rx.spans({ attributes: { 'faas.invocation_id': requestId } });

describe('extension: after-response', () => {
  it('keeps the collector off the caller path, loses nothing across 200 frozen invokes, bills the flush', async () => {
    const rx = await receiver();
    const missing: string[] = [];
    const bare = await simulator(rx, 'bare.handler', {});
    const lib = await simulator(
      rx,
      'instrumented.handler',
      { OTEL_LAMBDA_EXTENSION: 'true', OTEL_LAMBDA_FLUSH_MODE: 'after-response' },
      {
        // Frozen now: the invoke's span must already be at the receiver.
        onFreeze: ({ requestId }) => {
          if (spansOf(rx, requestId).length !== 1) missing.push(requestId);
        },
      },
    );
    expect(lib.extensions).toMatchObject([{ name: 'otel-lambda-flush', events: ['INVOKE'], internal: true }]);

    const base: InvokeResult[] = [];
    const withLib: InvokeResult[] = [];
    // Interleaved, so machine noise hits both alike.
    for (let i = 0; i < 200; i++) {
      base.push(await bare.invoke({}));
      withLib.push(await lib.invoke({}));
    }
    expect(withLib.every((r) => r.status === 'success' && r.frozen)).toBe(true);
    expect(missing).toEqual([]);
    expect(rx.spans({ name: 'work' })).toHaveLength(200);

    const p50Bare = quantile(base.map((r) => r.latencyMs), 0.5);
    const p50Lib = quantile(withLib.map((r) => r.latencyMs), 0.5);
    const p50Billed = quantile(withLib.map((r) => r.billedDurationMs), 0.5);
    const p90Lib = quantile(withLib.map((r) => r.latencyMs), 0.9);
    console.log(`after-response latency p50: bare ${p50Bare} ms, with library ${p50Lib} ms (p90 ${p90Lib}); billed p50 ${p50Billed} ms`);
    expect(p50Lib - p50Bare).toBeLessThan(2);
    expect(p50Billed).toBeGreaterThanOrEqual(COLLECTOR_DELAY_MS);
    // The caller never waits for the collector.
    expect(p50Lib).toBeLessThan(COLLECTOR_DELAY_MS);
  });

  it('CommonJS handler with OTEL_LAMBDA_EXTENSION: registers during module loading and flushes after the response', async () => {
    const rx = await receiver();
    const missing: string[] = [];
    const sim = await simulator(
      rx,
      'commonjs.handler',
      { OTEL_LAMBDA_EXTENSION: 'true', OTEL_LAMBDA_FLUSH_MODE: 'after-response' },
      { onFreeze: ({ requestId }) => void (spansOf(rx, requestId).length === 1 || missing.push(requestId)) },
    );
    expect(sim.extensions).toMatchObject([{ events: ['INVOKE'] }]);
    const results: InvokeResult[] = [];
    for (let i = 0; i < 20; i++) results.push(await sim.invoke({}));
    expect(missing).toEqual([]);
    expect(quantile(results.map((r) => r.latencyMs), 0.5)).toBeLessThan(COLLECTOR_DELAY_MS);
    expect(quantile(results.map((r) => r.billedDurationMs), 0.5)).toBeGreaterThanOrEqual(COLLECTOR_DELAY_MS);
  });

  it('registration refused: falls back to flushing before the response, warns, never hangs', async () => {
    const rx = await receiver();
    const missing: string[] = [];
    const sim = await simulator(
      rx,
      'instrumented.handler',
      { OTEL_LAMBDA_EXTENSION: 'true', OTEL_LAMBDA_FLUSH_MODE: 'after-response' },
      { closeRegistrationEarly: true, onFreeze: ({ requestId }) => void (spansOf(rx, requestId).length === 1 || missing.push(requestId)) },
    );
    expect(sim.extensions).toEqual([]);
    const results: InvokeResult[] = [];
    for (let i = 0; i < 10; i++) results.push(await sim.invoke({}));
    expect(results.every((r) => r.status === 'success')).toBe(true);
    expect(missing).toEqual([]);
    // Sync fallback: the caller waits for the collector, and nothing holds the invoke longer.
    expect(quantile(results.map((r) => r.latencyMs), 0.5)).toBeGreaterThanOrEqual(COLLECTOR_DELAY_MS);
    expect(Math.max(...results.map((r) => r.billedDurationMs))).toBeLessThan(1500);
    // The simulator closed registration: the wrap-time warning says why (403 Extension.RegistrationClosed).
    expect(sim.logs.join('\n')).toMatch(/registration refused with HTTP 403: flushing before the response/);
  });

  it('Managed Instances (AWS_LAMBDA_MAX_CONCURRENCY): the main thread registers once for no event; an explicit after-response flushes before the response, says so', async () => {
    const rx = await receiver(0);
    // The register preload on the main thread registers; the runtime's worker threads never do.
    const preload = fileURLToPath(new URL('../../dist/cjs/zero-code/register.cjs', import.meta.url));
    const sim = await simulator(rx, 'instrumented.handler', { OTEL_LAMBDA_EXTENSION: 'true', OTEL_LAMBDA_FLUSH_MODE: 'after-response', NODE_OPTIONS: `--require ${preload}` }, { maxConcurrency: 4 });
    expect(sim.extensions).toMatchObject([{ name: 'otel-lambda-flush', events: [] }]);
    for (let i = 0; i < 3; i++) {
      const r = await sim.invoke({});
      expect(r.status).toBe('success');
      expect(spansOf(rx, r.requestId)).toHaveLength(1);
    }
    expect(sim.logs.join('\n')).toMatch(/Managed Instances/);
    // Registered, so SIGTERM comes at shutdown, and the process handles it within the grace.
    const s = await sim.shutdown();
    expect(s.signal).toBe('SIGTERM');
    expect(s.exitedWithinGrace).toBe(true);
  });
});
