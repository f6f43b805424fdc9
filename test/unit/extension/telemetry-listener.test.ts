import { request, Agent } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTelemetryListener, type ListenerOptions, type TelemetryListener } from '../../../src/extension/worker/telemetry-listener.js';
import type { TelemetryEvent } from '../../../src/extension/worker/protocol.js';

let listener: TelemetryListener | undefined;
afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

async function start(maxBodyBytes = 64 * 1024, bodyTimeoutMs = 300, extra: Partial<ListenerOptions> = {}) {
  const got: TelemetryEvent[] = [];
  listener = await startTelemetryListener({ host: '127.0.0.1', port: 0, maxBodyBytes, bodyTimeoutMs, onEvents: (e) => got.push(...e), ...extra });
  return { l: listener, got };
}

type SendOptions = { method?: string; path?: string; contentType?: string; body?: string | Buffer; agent?: Agent };

/** Sends to the listener's subscription path unless `path` says otherwise. */
function send(l: TelemetryListener, opts: SendOptions): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: l.port,
        method: opts.method ?? 'POST',
        path: opts.path ?? l.path,
        agent: opts.agent,
        headers: opts.contentType ? { 'content-type': opts.contentType } : {},
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(-1));
      },
    );
    req.on('error', () => resolve(-1));
    req.end(opts.body);
  });
}

const report = (id: string) => ({
  time: '2026-01-01T00:00:00.000Z',
  type: 'platform.report',
  record: { requestId: id, status: 'success', metrics: { durationMs: 1, billedDurationMs: 1, memorySizeMB: 128, maxMemoryUsedMB: 50 } },
});

describe('Telemetry API listener', () => {
  it('answers hostile requests with the right status and keeps serving', async () => {
    const { l, got } = await start();
    expect(await send(l, { method: 'GET' })).toBe(405);
    expect(await send(l, { method: 'PUT', contentType: 'application/json', body: '[]' })).toBe(405);
    expect(await send(l, { contentType: 'text/plain', body: '[]' })).toBe(415);
    expect(await send(l, {})).toBe(415);
    expect(await send(l, { contentType: 'application/json', body: '[{' })).toBe(400);
    expect(await send(l, { contentType: 'application/json', body: '{"a":1}' })).toBe(400);
    expect(await send(l, { contentType: 'application/json', body: '' })).toBe(400);
    const big = await send(l, { contentType: 'application/json', body: Buffer.alloc(200 * 1024, 0x20) });
    expect([413, -1]).toContain(big); // 413, or a reset if the socket was destroyed mid-upload
    expect(await send(l, { contentType: 'application/json; charset=utf-8', body: JSON.stringify([report('ok')]) })).toBe(200);
    expect(got.map((e) => (e.record as { requestId: string }).requestId)).toEqual(['ok']);
    expect(l.stats.rejected).toMatchObject({ 405: 2, 415: 2, 400: 3 });
    expect(l.stats.batches).toBe(1);
  });

  it('drops a body that arrives too slowly, without hanging', async () => {
    const { l } = await start(64 * 1024, 200);
    const started = performance.now();
    const closed = await new Promise<string>((resolve) => {
      const s = connect(l.port, '127.0.0.1', () => {
        s.write(`POST ${l.path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n[`);
      });
      let text = '';
      s.on('data', (d) => (text += d.toString()));
      s.on('close', () => resolve(text));
      s.on('error', () => undefined);
    });
    expect(closed).toMatch(/^HTTP\/1.1 408/);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(await send(l, { contentType: 'application/json', body: JSON.stringify([report('after')]) })).toBe(200);
  });

  it('counts unknown types and wrong field types, forwards the valid ones of the same batch', async () => {
    const { l, got } = await start();
    const status = await send(l, {
      contentType: 'application/json',
      body: JSON.stringify([
        report('a'),
        { time: '2026-01-01T00:00:00Z', type: 'platform.somethingNew', record: {} },
        { time: '2026-01-01T00:00:00Z', type: 'platform.report', record: { requestId: 5, status: 'success', metrics: {} } },
        { time: 'not a time', type: 'platform.start', record: { requestId: 'b' } },
        { time: '2026-01-01T00:00:00Z', type: 'platform.logsDropped', record: { droppedBytes: 1 } },
        42,
      ]),
    });
    expect(status).toBe(200);
    expect(got).toHaveLength(1);
    expect(l.stats).toMatchObject({ events: 1, unknown: 1, invalid: 3, unused: 1 });
  });

  it('fuzz: 10,000 malformed bodies, listener alive, memory bounded, valid batches still counted', async () => {
    const { l, got } = await start(64 * 1024, 2000);
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const valid = JSON.stringify([report('v')]);
    const generators: (() => string | Buffer)[] = [
      () => valid.slice(0, rand(valid.length)), // truncated JSON
      () => Buffer.from(Array.from({ length: rand(300) }, () => rand(256))), // random bytes
      () => JSON.stringify({ type: 'platform.report' }), // not an array
      () => JSON.stringify([{ type: rand(5), time: rand(2) ? 'x' : 7, record: rand(2) ? null : [1, 2] }]),
      () => JSON.stringify([{ time: '2026-01-01T00:00:00Z', type: 'platform.report', record: { requestId: 'x', status: 1, metrics: { durationMs: '1' } } }]),
      () => JSON.stringify([{ time: '2026-01-01T00:00:00Z', type: '__proto__', record: {} }, { time: '2026-01-01T00:00:00Z', type: 'constructor', record: {} }]),
      () => '['.repeat(rand(5000)), // deep nesting
      () => JSON.stringify(Array.from({ length: rand(50) }, () => ({ time: '2026-01-01T00:00:00Z', type: 'platform.runtimeDone', record: { requestId: 'r', status: 'success', spans: 'no' } }))),
      () => JSON.stringify([{ time: '2026-01-01T00:00:00Z', type: 'platform.report', record: { requestId: 'x', status: 'success', metrics: { durationMs: -1, billedDurationMs: 1, memorySizeMB: 1, maxMemoryUsedMB: 1 } } }]),
      () => 'null',
      // Values Lambda cannot produce: well-typed, out of range (counted in outOfRange).
      () =>
        JSON.stringify([
          {
            time: '2026-01-01T00:00:00Z',
            type: 'platform.report',
            record: { requestId: 'x', status: 'success', metrics: { durationMs: 1, billedDurationMs: 1e9 * (1 + rand(9)), memorySizeMB: 128, maxMemoryUsedMB: 1 } },
          },
          { time: '2026-01-01T00:00:00Z', type: 'platform.runtimeDone', record: { requestId: 'r'.repeat(200 + rand(1000)), status: 'success' } },
        ]),
    ];
    // Paths: the token, near misses, and noise. Only the token is read.
    const paths = [
      () => l.path,
      () => '/',
      () => `${l.path.slice(0, -1)}${'0123456789abcdef'[rand(16)]}`,
      () => `${l.path}/${rand(10)}`,
      () => `/telemetry/${Array.from({ length: 32 }, () => '0123456789abcdef'[rand(16)]).join('')}`,
      () => `/${String.fromCharCode(...Array.from({ length: rand(40) }, () => 33 + rand(90)))}`,
    ];
    let wrongPath = 0;
    const total = 10_000;
    const heapBefore = process.memoryUsage().heapUsed;
    let sent = 0;
    let non200 = 0;
    const workerLoop = async () => {
      while (sent < total) {
        sent++;
        const body = generators[rand(generators.length)]!();
        const path = rand(3) === 0 ? paths[rand(paths.length)]!() : l.path;
        if (path !== l.path) wrongPath++;
        const status = await send(l, { contentType: 'application/json', body, agent, path });
        if (status !== 200) non200++;
        expect(status === 200 || status === 400 || (status === 404 && path !== l.path), `${status} ${path}`).toBe(true);
      }
    };
    await Promise.all(Array.from({ length: 16 }, workerLoop));
    agent.destroy();
    expect(sent).toBeGreaterThanOrEqual(total);
    expect(non200).toBeGreaterThan(total / 4);
    // Nothing malformed got through: only valid batches of the generators above carry events.
    expect(got.every((e) => e.type === 'platform.report' || e.type === 'platform.runtimeDone')).toBe(true);
    expect(got.filter((e) => e.type === 'platform.report').every((e) => (e.record as { requestId: unknown }).requestId === 'v')).toBe(true);
    const rejected = Object.values(l.stats.rejected).reduce((a, b) => a + b, 0);
    expect(l.stats.batches + rejected).toBe(total);
    expect(l.stats.rejected['404']).toBe(wrongPath);
    expect(l.stats.outOfRange).toBeGreaterThan(0);
    // No out-of-range value got through.
    const reports = got.filter((e) => e.type === 'platform.report').map((e) => e.record as { metrics: { billedDurationMs: number } });
    expect(reports.every((r) => r.metrics.billedDurationMs <= 16 * 60 * 1000)).toBe(true);
    got.length = 0;
    const eventsBefore = l.stats.events;
    expect(await send(l, { contentType: 'application/json', body: valid })).toBe(200);
    expect(l.stats.events).toBe(eventsBefore + 1);
    expect(got).toHaveLength(1);
    global.gc?.();
    // Generous: the listener keeps no per-request state, so the heap must not grow with the run.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  }, 300_000);
});
