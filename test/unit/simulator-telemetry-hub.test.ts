// Telemetry delivery: batching by timeoutMs and maxItems, pause while frozen, bounded retries,
// replay of earlier events to a new subscriber, type filtering — against a real HTTP listener.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TelemetryHub } from '../../src/testing/simulator/telemetry-hub.js';
import type { ParsedSubscription } from '../../src/testing/simulator/telemetry-subscription.js';
import type { TelemetryEvent, TelemetryLog } from '../../src/testing/simulator/types.js';

interface Listener {
  url: string;
  batches: TelemetryEvent[][];
  failNext: number;
  server: Server;
}

const open: { server: Server; hub: TelemetryHub }[] = [];

async function listener(): Promise<Listener> {
  const l = { batches: [] as TelemetryEvent[][], failNext: 0 } as Listener;
  l.server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      if (l.failNext > 0) {
        l.failNext--;
        res.statusCode = 500;
        return res.end();
      }
      l.batches.push(JSON.parse(text) as TelemetryEvent[]);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => l.server.listen(0, '127.0.0.1', r));
  l.url = `http://127.0.0.1:${(l.server.address() as AddressInfo).port}/t`;
  return l;
}

function setup(l: Listener, overrides: Partial<ParsedSubscription> = {}): { hub: TelemetryHub; log: TelemetryLog } {
  const log: TelemetryLog = { subscriptions: [], emitted: [], batches: [] };
  const hub = new TelemetryHub(log);
  open.push({ server: l.server, hub });
  hub.subscribe('ext-1', 'ext', {
    schemaVersion: '2022-12-13',
    types: ['platform'],
    buffering: { maxItems: 1000, maxBytes: 262144, timeoutMs: 25 },
    destination: 'http://sandbox.localdomain:1/t',
    deliverTo: l.url,
    ...overrides,
  });
  return { hub, log };
}

const until = async (cond: () => boolean, ms = 3000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
};

afterEach(() => {
  for (const { server, hub } of open.splice(0)) {
    hub.close();
    server.close();
  }
});

describe('TelemetryHub', () => {
  it('batches events emitted within timeoutMs and skips types not subscribed', async () => {
    const l = await listener();
    const { hub } = setup(l, { buffering: { maxItems: 1000, maxBytes: 262144, timeoutMs: 200 } });
    hub.emit('platform.start', { requestId: 'a' });
    hub.emit('function', 'a log line');
    hub.emit('platform.runtimeDone', { requestId: 'a' });
    await until(() => l.batches.length > 0);
    expect(l.batches).toHaveLength(1);
    expect(l.batches[0]!.map((e) => e.type)).toEqual(['platform.start', 'platform.runtimeDone']);
    expect(typeof l.batches[0]![0]!.time).toBe('string');
  });

  it('sends at once when maxItems is reached', async () => {
    const l = await listener();
    const { hub, log } = setup(l, { buffering: { maxItems: 1000, maxBytes: 1048576, timeoutMs: 30000 } });
    for (let i = 0; i < 1500; i++) hub.emit('platform.x', { i });
    await until(() => l.batches.length >= 1, 2000);
    expect(l.batches[0]).toHaveLength(1000);
    await hub.flush(2000);
    expect(l.batches.map((b) => b.length)).toEqual([1000, 500]);
    expect(log.batches.every((b) => b.ok && b.attempts === 1)).toBe(true);
  });

  it('holds deliveries while paused (frozen) and sends them on resume', async () => {
    const l = await listener();
    const { hub } = setup(l);
    hub.pause();
    hub.emit('platform.report', { requestId: 'r1' });
    await new Promise((r) => setTimeout(r, 150));
    expect(l.batches).toHaveLength(0);
    hub.resume();
    await until(() => l.batches.length > 0);
    expect(l.batches[0]!.map((e) => e.type)).toEqual(['platform.report']);
  });

  it('replays earlier events to a new subscriber', async () => {
    const l = await listener();
    const log: TelemetryLog = { subscriptions: [], emitted: [], batches: [] };
    const hub = new TelemetryHub(log);
    open.push({ server: l.server, hub });
    hub.emit('platform.initStart', {});
    hub.subscribe('e', 'e', { schemaVersion: '2022-12-13', types: ['platform'], buffering: { maxItems: 1000, maxBytes: 262144, timeoutMs: 25 }, destination: '', deliverTo: l.url });
    await hub.flush(2000);
    expect(l.batches.flat().map((e) => e.type)).toEqual(['platform.initStart']);
  });

  it('retries a failed delivery a bounded number of times', async () => {
    const l = await listener();
    const { hub, log } = setup(l);
    l.failNext = 1;
    hub.emit('platform.start', {});
    await hub.flush(3000);
    expect(log.batches[0]).toMatchObject({ ok: true, attempts: 2 });
    l.failNext = 100;
    hub.emit('platform.report', {});
    await hub.flush(3000);
    expect(log.batches[1]).toMatchObject({ ok: false, attempts: 3 });
    expect(l.failNext).toBe(97);
  });
});
