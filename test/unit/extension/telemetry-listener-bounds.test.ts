// The Telemetry API listener against a hostile neighbour on the same machine: a secret path,
// bounded connections, header and body time, body size (chunked too) and bytes in flight.
import { slowSocketFlood } from '../../helpers/slow-sockets.js';
import { request } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../../src/extension/worker/protocol.js';
import { randomTelemetryPath, startTelemetryListener, type ListenerOptions, type TelemetryListener } from '../../../src/extension/worker/telemetry-listener.js';

let listener: TelemetryListener | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await listener?.close();
  listener = undefined;
});

async function start(extra: Partial<ListenerOptions> = {}) {
  const got: TelemetryEvent[] = [];
  listener = await startTelemetryListener({ host: '127.0.0.1', port: 0, maxBodyBytes: 64 * 1024, bodyTimeoutMs: 2000, onEvents: (e) => got.push(...e), ...extra });
  return { l: listener, got };
}

/** POSTs `body` (chunked when `chunked`), resolves the status (-1 for a reset). */
function post(l: TelemetryListener, body: string | Buffer, opts: { path?: string; chunked?: boolean; hold?: Promise<unknown> } = {}): Promise<number> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (!opts.chunked) headers['content-length'] = Buffer.byteLength(body);
    const req = request({ host: '127.0.0.1', port: l.port, method: 'POST', path: opts.path ?? l.path, agent: false, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(-1));
    });
    req.on('error', () => resolve(-1));
    if (opts.hold) {
      // Half the body now, the rest once every sender has started: all bodies in flight at once.
      const buf = Buffer.from(body);
      req.write(buf.subarray(0, buf.length >> 1));
      void opts.hold.then(() => req.end(buf.subarray(buf.length >> 1)));
    } else if (opts.chunked) {
      const buf = Buffer.from(body);
      for (let i = 0; i < buf.length; i += 16 * 1024) req.write(buf.subarray(i, i + 16 * 1024));
      req.end();
    } else req.end(body);
  });
}

const report = (id: string) =>
  JSON.stringify([
    {
      time: '2026-01-01T00:00:00.000Z',
      type: 'platform.report',
      record: { requestId: id, status: 'success', metrics: { durationMs: 1, billedDurationMs: 1, memorySizeMB: 128, maxMemoryUsedMB: 50 } },
    },
  ]);

/** A JSON array of `bytes` bytes (a string padding one event). */
function bodyOf(bytes: number): string {
  const head = '[{"time":"2026-01-01T00:00:00Z","type":"function","record":"';
  return head + 'x'.repeat(bytes - head.length - 3) + '"}]';
}

describe('Telemetry API listener: path token', () => {
  it('subscribes with an unguessable path and answers every other path 404 without reading the body', async () => {
    expect(randomTelemetryPath()).toMatch(/^\/telemetry\/[0-9a-f]{32}$/);
    expect(randomTelemetryPath()).not.toBe(randomTelemetryPath());
    const { l, got } = await start();
    expect(l.path).toMatch(/^\/telemetry\/[0-9a-f]{32}$/);
    const near = ['/', '/evil', '/telemetry', '/telemetry/', `${l.path}/`, `${l.path}?x=1`, l.path.slice(0, -1), l.path.toUpperCase(), `${l.path.slice(0, -1)}0`, `/${l.path}`];
    for (const path of near) expect(await post(l, report(`forged ${path}`), { path }), path).toBe(404);
    // A body larger than the cap to a wrong path: 404 at once, not 413 (its size is never looked at).
    expect(await post(l, bodyOf(1024 * 1024), { path: '/evil' })).toBe(404);
    expect(got).toHaveLength(0);
    expect(l.stats.batches).toBe(0);
    expect(l.stats.rejected['404']).toBe(near.length + 1);
    expect(await post(l, report('real'))).toBe(200);
    expect(got).toHaveLength(1);
  });

  it('a forged flood of 1,000 reports to the wrong path has no effect', async () => {
    const { l, got } = await start({ maxBodyBytes: 576 * 1024 });
    const many = JSON.stringify(Array.from({ length: 1000 }, (_, i) => JSON.parse(report(`f${i}`))[0]));
    expect(await post(l, many, { path: '/' })).toBe(404);
    expect(got).toHaveLength(0);
  });
});

describe('Telemetry API listener: bounded resources', () => {
  it('caps a chunked body (no content-length) at maxBodyBytes', async () => {
    const { l, got } = await start({ maxBodyBytes: 64 * 1024 });
    const status = await post(l, bodyOf(200 * 1024), { chunked: true });
    expect([413, -1]).toContain(status); // 413, or a reset if the socket was destroyed mid-upload
    expect(l.stats.rejected['413']).toBe(1);
    expect(got).toHaveLength(0);
    // Just under the cap, chunked, is accepted.
    expect(await post(l, bodyOf(60 * 1024), { chunked: true })).toBe(200);
    expect(got).toHaveLength(1);
  });

  it('bounds the bytes in flight: 64 concurrent bodies just under the cap get 200 or 503, memory stays bounded', async () => {
    const max = 576 * 1024;
    const { l, got } = await start({ maxBodyBytes: max });
    const body = bodyOf(max - 1024);
    let go!: () => void;
    const hold = new Promise<void>((r) => (go = r));
    const sending = Array.from({ length: 64 }, () => post(l, body, { hold }));
    await new Promise((r) => setTimeout(r, 500));
    go();
    const statuses = await Promise.all(sending);
    const counts = Object.fromEntries([...new Set(statuses)].map((s) => [s, statuses.filter((x) => x === s).length]));
    expect(statuses.every((s) => s === 200 || s === 503 || s === -1), JSON.stringify(counts)).toBe(true);
    // Refused with 503 (budget) or closed (connection cap): at most two bodies are held at once.
    expect(counts['200'] ?? 0, JSON.stringify(counts)).toBeLessThanOrEqual(2);
    expect(got.length).toBe(counts['200'] ?? 0);
    // The budget is released whatever happened: a later delivery gets through.
    got.length = 0;
    expect(await post(l, report('after'))).toBe(200);
    expect(got).toHaveLength(1);
    expect(l.stats.peakInFlightBytes).toBeGreaterThan(0);
    expect(l.stats.peakInFlightBytes).toBeLessThanOrEqual(2 * max);
  });

  it('300 slow sockets (one header line a second) do not keep a real delivery out', async () => {
    const { l, got } = await start();
    const flood = slowSocketFlood(l.port, '127.0.0.1', l.path);
    const slow = flood.sockets;
    try {
      await new Promise((r) => setTimeout(r, 200));
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) {
        statuses.push(await post(l, report(`real-${i}`)));
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(statuses.every((s) => s === 200)).toBe(true);
      expect(got).toHaveLength(20);
      expect(l.stats.evicted).toBeGreaterThan(200);
      // The header timeout closes the slow sockets that were not evicted (2 s + the check interval).
      await new Promise((r) => setTimeout(r, 3500));
      expect(slow.filter((s) => !s.destroyed && !s.readableEnded).length).toBe(0);
    } finally {
      flood.stop();
    }
  }, 30_000);
});
