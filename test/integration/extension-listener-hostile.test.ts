// The extension's Telemetry API listener under the real runtime client, against a hostile
// neighbour on the same machine: forged reports (wrong path, right path), a slow-socket flood
// and a big-body flood while Lambda's own deliveries keep arriving; two environments at once
// on the default port. Counted metrics must equal the real invokes.
import { slowSocketFlood } from '../helpers/slow-sockets.js';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LambdaSimulator, OtlpReceiver } from '../../src/testing/index.js';

const taskRoot = fileURLToPath(new URL('../fixtures/extension/', import.meta.url));

const open: { close(): Promise<void> }[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const o of open.splice(0).reverse()) await o.close();
});

async function start(env: Record<string, string> = {}) {
  const rx = await OtlpReceiver.start();
  open.push(rx);
  const sim = await LambdaSimulator.start({
    taskRoot,
    handler: 'instrumented.handler',
    freeze: false, // the hostile neighbour runs between invokes too
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: rx.url,
      OTEL_LAMBDA_EXTENSION: 'true',
      OTEL_LAMBDA_FLUSH_MODE: 'after-response',
      // The V8 heap flags Lambda's bootstrap sets at 128 MB: the listener runs on the main
      // thread here (the ES module awaits setupTelemetry()), and without them V8 sizes that
      // heap for this machine, so parse garbage of the floods outgrows the simulator's 128 MB.
      NODE_OPTIONS: '--max-semi-space-size=6 --max-old-space-size=115',
      ...env,
    },
  });
  open.push(sim);
  expect(sim.telemetry.subscriptions).toHaveLength(1);
  const url = new URL(sim.telemetry.subscriptions[0]!.deliverTo);
  return { rx, sim, url };
}

function total(rx: OtlpReceiver, name: string): number {
  return rx.metrics(name).reduce((a, p) => a + (p.type === 'histogram' ? (p.count ?? 0) : (p.value ?? 0)), 0);
}

function post(url: URL, path: string, body: string | Buffer): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      { host: url.hostname, port: url.port, path, method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(-1));
      },
    );
    req.on('error', () => resolve(-1));
    req.end(body);
  });
}

const forged = (i: number) => ({
  time: new Date().toISOString(),
  type: 'platform.report',
  record: {
    requestId: `forged-${i}`,
    status: 'success',
    errorType: `Forged${i}`.padEnd(i === 0 ? 100_000 : 8, 'x'),
    metrics: { durationMs: 1, billedDurationMs: i % 2 ? 1_000_000_000 : 5, memorySizeMB: 128, maxMemoryUsedMB: 1 },
  },
});

function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
}

describe('extension listener: a hostile neighbour', () => {
  it('1,000 forged reports (wrong path, then the right one) change nothing: counted invocations equal real invokes', async () => {
    const { rx, sim, url } = await start();
    expect(url.pathname).toMatch(/^\/telemetry\/[0-9a-f]{32}$/);
    expect((await sim.invoke({})).status).toBe('success');
    const flood = JSON.stringify(Array.from({ length: 1000 }, (_, i) => forged(i)));
    expect(await post(url, '/evil', flood)).toBe(404);
    expect(await post(url, '/', flood)).toBe(404);
    // Even with the secret path (only Lambda has it), made-up request ids count for nothing.
    expect(await post(url, url.pathname, flood)).toBe(200);
    expect((await sim.invoke({ throw: true })).status).toBe('error');
    await sim.shutdown();
    expect(total(rx, 'faas.invocations')).toBe(2);
    expect(total(rx, 'faas.errors')).toBe(1);
    const errorTypes = new Set(rx.metrics('faas.errors').map((p) => p.attributes['error.type']));
    expect([...errorTypes]).toEqual(['Error']);
    expect(Math.max(...rx.metrics('aws.lambda.billed_duration').map((p) => p.max ?? 0))).toBeLessThan(60);
  });

  it('300 slow sockets (one header line a second) do not keep Lambda deliveries out', async () => {
    const { rx, sim, url } = await start();
    const flood = slowSocketFlood(Number(url.port), url.hostname, url.pathname);
    try {
      const invokes = 10;
      for (let i = 0; i < invokes; i++) {
        expect((await sim.invoke({})).status).toBe('success');
        await new Promise((r) => setTimeout(r, 300));
      }
      await sim.shutdown();
      expect(total(rx, 'faas.invocations')).toBe(invokes);
      expect(total(rx, 'aws.lambda.billed_duration')).toBe(invokes);
      const failed = sim.telemetry.batches.filter((b) => !b.ok);
      expect(failed, JSON.stringify(failed.map((b) => b.attempts))).toHaveLength(0);
    } finally {
      flood.stop();
    }
  }, 60_000);

  it('64 concurrent bodies just under the size cap: RSS bounded, Lambda deliveries still counted', async () => {
    const { rx, sim, url } = await start();
    expect((await sim.invoke({})).status).toBe('success');
    const before = rssMiB(sim.pid!);
    // Default buffering 256 KiB: the cap is 2 × 256 KiB + 64 KiB.
    const cap = 2 * 262_144 + 65_536;
    const event = JSON.stringify(forged(1));
    const body = `[${Array.from({ length: Math.floor((cap - 1024) / (event.length + 1)) }, () => event).join(',')}]`;
    expect(body.length).toBeLessThan(cap);
    const statuses: number[] = [];
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(sim.pid!))), 20);
    try {
      for (let round = 0; round < 3; round++) {
        const flood = Promise.all(Array.from({ length: 64 }, () => post(url, url.pathname, body)));
        expect((await sim.invoke({})).status).toBe('success');
        statuses.push(...(await flood));
      }
    } finally {
      clearInterval(sampler);
    }
    const after = rssMiB(sim.pid!);
    console.log(`big-body flood: RSS ${before.toFixed(0)} → peak ${peak.toFixed(0)} → ${after.toFixed(0)} MiB; statuses ${JSON.stringify(Object.fromEntries([...new Set(statuses)].map((s) => [s, statuses.filter((x) => x === s).length])))}`);
    expect(statuses.some((s) => s === 503 || s === -1)).toBe(true);
    expect(peak - before).toBeLessThan(120);
    await sim.shutdown();
    expect(total(rx, 'faas.invocations')).toBe(4);
  }, 60_000);

  it('two environments at once on the default port both get platform metrics', async () => {
    const a = await start();
    const b = await start();
    expect(a.url.port).not.toBe(b.url.port);
    for (let i = 0; i < 3; i++) {
      const [ra, rb] = await Promise.all([a.sim.invoke({}), b.sim.invoke({})]);
      expect([ra.status, rb.status]).toEqual(['success', 'success']);
    }
    await Promise.all([a.sim.shutdown(), b.sim.shutdown()]);
    expect(total(a.rx, 'faas.invocations')).toBe(3);
    expect(total(b.rx, 'faas.invocations')).toBe(3);
  }, 60_000);
});
