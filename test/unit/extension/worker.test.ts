// The extension's core on both hosts — the real worker (inlined source) and this thread — with
// real HTTP against a fake Extensions API on this thread.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExtensionBridge } from '../../../src/extension/bridge.js';
import type { HostThread } from '../../../src/extension/hosts.js';
import type { WorkerConfig } from '../../../src/extension/worker/protocol.js';
import type { TelemetryEvent } from '../../../src/extension/worker/protocol.js';
import { FakeExtensionsApi } from './fake-extensions-api.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

let thread: HostThread = 'worker';

async function setup(fakeOptions = {}, config: Partial<WorkerConfig> = {}, timeoutMs = 3000) {
  const fake = await FakeExtensionsApi.start(fakeOptions);
  const bridge = new ExtensionBridge(undefined, thread);
  const warnings: string[] = [];
  bridge.onWarn = (m) => warnings.push(m);
  cleanups.push(() => fake.close(), () => bridge.terminate());
  const ok = await bridge.registerAsync(
    { runtimeApi: fake.runtimeApi, name: 'olf-test', invoke: true, gateMarginMs: 50, ...config },
    timeoutMs,
  );
  return { fake, bridge, ok, warnings };
}

const telemetry = {
  host: '127.0.0.1',
  port: 0,
  types: ['platform' as const],
  buffering: { maxItems: 1000, maxBytes: 262_144, timeoutMs: 25 },
  bodyTimeoutMs: 2000,
};

describe.each(['worker', 'main'] as const)('extension core on the %s thread', (host) => {
  beforeEach(() => {
    thread = host;
  });

  it('registers for INVOKE under its name and polls /event/next once', async () => {
    const { fake, bridge, ok } = await setup();
    expect(ok).toBe(true);
    expect(bridge.state).toBe('registered');
    expect(bridge.gating).toBe(true);
    expect(fake.registrations).toEqual([{ name: 'olf-test', events: ['INVOKE'] }]);
    await fake.waitForNextCalls(1);
  });

  it('registers for no event on Managed Instances-style config (invoke: false)', async () => {
    const { fake, bridge, ok } = await setup({}, { invoke: false });
    expect(ok).toBe(true);
    expect(bridge.gating).toBe(false);
    expect(fake.registrations[0]!.events).toEqual([]);
  });

  it('holds /event/next after an INVOKE until done(requestId)', async () => {
    const { fake, bridge } = await setup();
    await fake.waitForNextCalls(1);
    fake.push({ eventType: 'INVOKE', requestId: 'r1', deadlineMs: Date.now() + 60_000, invokedFunctionArn: 'arn' });
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.nextCalls).toHaveLength(1);
    bridge.done('r1');
    await fake.waitForNextCalls(2);
    expect(fake.nextCalls).toHaveLength(2);
  });

  it('tolerates done arriving before the INVOKE event', async () => {
    const { fake, bridge } = await setup();
    await fake.waitForNextCalls(1);
    bridge.done('early');
    await new Promise((r) => setTimeout(r, 50));
    fake.push({ eventType: 'INVOKE', requestId: 'early', deadlineMs: Date.now() + 60_000 });
    await fake.waitForNextCalls(2, 2000);
  });

  it('never holds an INVOKE past its deadline minus the margin', async () => {
    const { fake, bridge } = await setup();
    await fake.waitForNextCalls(1);
    const pushed = performance.now();
    fake.push({ eventType: 'INVOKE', requestId: 'slow', deadlineMs: Date.now() + 300 });
    await fake.waitForNextCalls(2, 3000);
    const waited = fake.nextCalls[1]! - pushed;
    expect(waited).toBeGreaterThanOrEqual(200);
    expect(waited).toBeLessThan(2000);
    const stats = await bridge.stats();
    expect(stats?.gateTimeouts).toBe(1);
  });

  it('refused registration: register() is false, no /event/next, a warning', async () => {
    const { fake, bridge, ok, warnings } = await setup({ registerStatus: 403 });
    expect(ok).toBe(false);
    expect(bridge.state).toBe('failed');
    expect(bridge.gating).toBe(false);
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.nextCalls).toHaveLength(0);
    expect(warnings.join('\n')).toMatch(/RegistrationClosed/);
  });

  it('registration timeout: gives up in time and the worker never holds an invoke', async () => {
    const started = performance.now();
    const { fake, bridge, ok } = await setup({ registerDelayMs: 400 }, {}, 100);
    expect(ok).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(bridge.state).toBe('failed');
    // The late registration still polls, and an INVOKE is released at once (not gated).
    await fake.waitForNextCalls(1);
    fake.push({ eventType: 'INVOKE', requestId: 'x', deadlineMs: Date.now() + 60_000 });
    await fake.waitForNextCalls(2, 1000);
  });

  it('subscribes to the Telemetry API with explicit buffering, the real listener port and a secret path', async () => {
    const { fake, bridge } = await setup({}, { telemetry });
    expect(bridge.subscribed).toBe(true);
    expect(bridge.telemetryPort).toBeGreaterThan(0);
    expect(fake.subscriptions).toEqual([
      {
        schemaVersion: '2022-12-13',
        types: ['platform'],
        buffering: { maxItems: 1000, maxBytes: 262_144, timeoutMs: 25 },
        destination: { protocol: 'HTTP', URI: expect.stringMatching(new RegExp(`^http://127\\.0\\.0\\.1:${bridge.telemetryPort}/telemetry/[0-9a-f]{32}$`)) },
      },
    ]);
    // Anything but that path is answered 404 and delivers nothing.
    const uri = new URL((fake.subscriptions[0] as { destination: { URI: string } }).destination.URI);
    const res = await fetch(`http://127.0.0.1:${bridge.telemetryPort}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' });
    expect(res.status).toBe(404);
    const ok = await fetch(uri, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' });
    expect(ok.status).toBe(200);
  });

  it('listens on an explicit port when one is given, and warns (once-key) when it cannot', async () => {
    const { createServer } = await import('node:net');
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => holder.close(() => r())));
    const taken = (holder.address() as { port: number }).port;
    // Taken: registered all the same, not subscribed, and a warning the user must see.
    const busy = await setup({}, { telemetry: { ...telemetry, port: taken } });
    expect(busy.ok).toBe(true);
    expect(busy.bridge.subscribed).toBe(false);
    await new Promise((r) => setTimeout(r, 50));
    expect(busy.warnings.join('\n')).toMatch(new RegExp(`could not listen on 127\\.0\\.0\\.1:${taken}.*EADDRINUSE`));
    await new Promise<void>((r) => holder.close(() => r()));
    const free = await setup({}, { telemetry: { ...telemetry, port: taken } });
    expect(free.bridge.subscribed).toBe(true);
    expect(free.bridge.telemetryPort).toBe(taken);
  });

  it('relays validated events to the main thread and resolves report waiters', async () => {
    const { fake, bridge } = await setup({}, { telemetry });
    const got: TelemetryEvent[] = [];
    bridge.onTelemetry((e) => got.push(...e));
    bridge.invocationEnded('r9');
    const waiting = bridge.waitForReports(3000);
    const status = await fake.deliver([
      { time: '2026-01-01T00:00:00.000Z', type: 'platform.start', record: { requestId: 'r9' } },
      { time: '2026-01-01T00:00:00.000Z', type: 'platform.bogus', record: {} },
      {
        time: '2026-01-01T00:00:01.000Z',
        type: 'platform.report',
        record: { requestId: 'r9', status: 'success', metrics: { durationMs: 3, billedDurationMs: 4, memorySizeMB: 128, maxMemoryUsedMB: 60 } },
      },
    ]);
    expect(status).toBe(200);
    expect(await waiting).toBe(true);
    expect(got.map((e) => e.type)).toEqual(['platform.start', 'platform.report']);
    bridge.invocationEnded('never');
    expect(await bridge.waitForReports(50)).toBe(false);
    const stats = await bridge.stats();
    expect(stats?.listener).toMatchObject({ batches: 1, events: 2, unknown: 1 });
  });

  it('refused subscription: still registered, no telemetry, a warning', async () => {
    const { bridge, ok, warnings } = await setup({ telemetryStatus: 400 }, { telemetry });
    expect(ok).toBe(true);
    expect(bridge.subscribed).toBe(false);
    await new Promise((r) => setTimeout(r, 50));
    expect(warnings.join('\n')).toMatch(/subscription refused/);
  });
});
