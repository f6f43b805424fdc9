// Telemetry API → metrics under the real runtime client: a scripted sequence (cold start,
// success, error, timeout, a second cold start, shutdown) gives the right totals, including the
// last invoke's report, which only arrives after SIGTERM.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LambdaSimulator, OtlpReceiver } from '../../src/testing/index.js';

const taskRoot = fileURLToPath(new URL('../fixtures/extension/', import.meta.url));

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

function total(rx: OtlpReceiver, name: string, attributes?: Record<string, unknown>): number {
  return rx
    .metrics(name)
    .filter((p) => !attributes || Object.entries(attributes).every(([k, v]) => p.attributes[k] === v))
    .reduce((a, p) => a + (p.type === 'histogram' ? (p.count ?? 0) : (p.value ?? 0)), 0);
}

describe('extension: Telemetry API → metrics', () => {
  it('counts a scripted sequence correctly, the last report included', async () => {
    const rx = await OtlpReceiver.start();
    open.push(rx);
    const sim = await LambdaSimulator.start({
      taskRoot,
      handler: 'instrumented.handler',
      timeoutMs: 1500,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: rx.url,
        OTEL_LAMBDA_EXTENSION: 'true',
        OTEL_LAMBDA_FLUSH_MODE: 'after-response',
        OTEL_LAMBDA_TELEMETRY_PORT: '0',
      },
    });
    open.push(sim);
    expect(sim.telemetry.subscriptions).toHaveLength(1);

    const r1 = await sim.invoke({});
    const r2 = await sim.invoke({ throw: true });
    const r3 = await sim.invoke({ sleepMs: 5000 });
    const r4 = await sim.invoke({});
    const r5 = await sim.invoke({});
    expect([r1, r2, r3, r4, r5].map((r) => r.status)).toEqual(['success', 'error', 'timeout', 'success', 'success']);
    expect([r1.coldStart, r4.coldStart]).toEqual([true, true]);
    expect(r2.error?.errorType).toBe('Error');

    // r5's report is still in the simulator's hands: it is delivered during shutdown.
    expect(total(rx, 'faas.invocations')).toBeLessThan(5);
    const s = await sim.shutdown();
    expect(s.signal).toBe('SIGTERM');
    expect(s.exitedWithinGrace).toBe(true);

    expect(total(rx, 'faas.invocations')).toBe(5);
    expect(total(rx, 'faas.errors')).toBe(1);
    expect(total(rx, 'faas.errors', { 'error.type': 'Error' })).toBe(1);
    // The timed-out process is killed before its report exists: counted by the deadline guard.
    expect(total(rx, 'faas.timeouts')).toBe(1);
    expect(total(rx, 'faas.coldstarts')).toBe(2);
    expect(total(rx, 'faas.init_duration')).toBe(2);
    // Reports that reached a live process: r1, r2, r4, r5.
    for (const name of ['faas.invoke_duration', 'faas.mem_usage', 'aws.lambda.billed_duration', 'aws.lambda.max_memory_used']) {
      expect(total(rx, name), name).toBe(4);
    }
    expect(total(rx, 'aws.lambda.extension_overhead')).toBeGreaterThanOrEqual(1);
    expect(total(rx, 'aws.lambda.response_latency')).toBeGreaterThanOrEqual(3);

    const mem = rx.metrics('faas.mem_usage');
    expect(mem[0]!.unit).toBe('By');
    expect(Math.max(...mem.map((p) => p.max ?? 0))).toBeGreaterThan(10 * 1048576);
    const billed = rx.metrics('aws.lambda.billed_duration');
    expect(billed[0]!.unit).toBe('s');
    expect(billed.every((p) => p.temporality === 'delta')).toBe(true);

    // One init span per environment, spanning initStart → initRuntimeDone.
    const init = rx.spans({ name: 'aws.lambda.init' });
    expect(init).toHaveLength(2);
    expect(init.every((sp) => sp.durationMs > 0 && sp.attributes['faas.coldstart'] === true)).toBe(true);
  });
});
