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

describe('extension: the Telemetry API listener inside the function process', () => {
  it('fuzz: 10,000 malformed or made-up deliveries (wrong paths too); the process stays alive, memory bounded, only real invokes count', async () => {
    const { Agent, request } = await import('node:http');
    const { readFileSync } = await import('node:fs');
    const rx = await OtlpReceiver.start();
    open.push(rx);
    const sim = await LambdaSimulator.start({
      taskRoot,
      handler: 'instrumented.handler',
      freeze: false, // the listener must be able to answer between invokes
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_LAMBDA_EXTENSION: 'true', OTEL_LAMBDA_FLUSH_MODE: 'after-response', OTEL_LAMBDA_TELEMETRY_PORT: '0' },
    });
    open.push(sim);
    expect((await sim.invoke({})).status).toBe('success');
    const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${sim.pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;
    const rssBefore = rss();
    const url = new URL(sim.telemetry.subscriptions[0]!.deliverTo);
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const post = (body: string, path = url.pathname) =>
      new Promise<number>((resolve) => {
        const req = request({ host: url.hostname, port: url.port, path, method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', () => resolve(-1));
        req.end(body);
      });
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const bodies = [
      () => '{"not":"an array"}',
      () => '[{"time":"2026-01-01T00:00:00Z","type":"platform.report","record":{"requestId":1}}]',
      () => '[' + '{"type":"x"},'.repeat(rand(100)) + '{"type":"x"}]',
      () => String.fromCharCode(...Array.from({ length: rand(200) }, () => rand(128))),
      () => '[{"time":"nope","type":"platform.start","record":{"requestId":"r"}}]',
      () => '[{"time":"2026-01-01T00:00:00Z","type":"platform.runtimeDone","record":{"requestId":"r","status":"success","metrics":{"durationMs":"slow"}}}]',
      // Well-typed but impossible values, and made-up request ids: accepted (200), never counted.
      () =>
        JSON.stringify([
          {
            time: new Date().toISOString(),
            type: 'platform.report',
            record: { requestId: `fuzz-${rand(1000)}`, status: 'success', errorType: `E${rand(1000)}`, metrics: { durationMs: 1, billedDurationMs: rand(2) ? 1e9 : 1, memorySizeMB: 128, maxMemoryUsedMB: 1 } },
          },
        ]),
    ];
    // A third of the bodies go to a wrong path (near misses of the token included): 404.
    const paths = [() => '/', () => `${url.pathname.slice(0, -1)}${'0123456789abcdef'[rand(16)]}`, () => `${url.pathname}/x`, () => `/telemetry/${rand(1e9)}`];
    const statuses = new Map<number, number>();
    let sent = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (sent < 10_000) {
          sent++;
          const wrong = rand(3) === 0;
          const st = await post(bodies[rand(bodies.length)]!(), wrong ? paths[rand(paths.length)]!() : url.pathname);
          expect(st === 404).toBe(wrong);
          statuses.set(st, (statuses.get(st) ?? 0) + 1);
        }
      }),
    );
    agent.destroy();
    console.log(`listener fuzz: statuses ${JSON.stringify(Object.fromEntries(statuses))}, RSS ${(rssBefore / 1048576).toFixed(0)} → ${(rss() / 1048576).toFixed(0)} MiB`);
    expect([...statuses.keys()].every((s) => s === 200 || s === 400 || s === 404)).toBe(true);
    expect(rss() - rssBefore).toBeLessThan(100 * 1048576);
    // A well-formed report with a made-up request id is accepted and not counted; the real
    // invokes still are (the last one's report arrives at shutdown).
    const madeUp = [{ time: new Date().toISOString(), type: 'platform.report', record: { requestId: 'injected', status: 'success', metrics: { durationMs: 1, billedDurationMs: 1, memorySizeMB: 128, maxMemoryUsedMB: 1 } } }];
    expect(await post(JSON.stringify(madeUp))).toBe(200);
    const r = await sim.invoke({});
    expect(r.status).toBe('success');
    await sim.shutdown();
    const invocations = rx.metrics('faas.invocations').reduce((a, p) => a + (p.value ?? 0), 0);
    expect(invocations).toBe(2);
    expect(rx.metrics('faas.mem_usage').some((p) => p.min === 1048576)).toBe(false);
    expect(rx.metrics('faas.errors')).toHaveLength(0);
    expect(Math.max(...rx.metrics('aws.lambda.billed_duration').map((p) => p.max ?? 0))).toBeLessThan(60);
  });
});
