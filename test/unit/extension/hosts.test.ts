// What differs between the two hosts of the extension's core: the main-thread host never blocks
// and, when registered before any wrapper links to it, holds no invoke until told to; a worker
// that dies after registering leaves its registration polled by the main thread, so Lambda's
// invokes still end, and the bridge falls back (never gating again).
import { afterEach, describe, expect, it } from 'vitest';
import { ExtensionBridge } from '../../../src/extension/bridge.js';
import type { WorkerConfig } from '../../../src/extension/worker/protocol.js';
import { FakeExtensionsApi } from './fake-extensions-api.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(thread: 'worker' | 'main', fakeOptions = {}) {
  const fake = await FakeExtensionsApi.start(fakeOptions);
  const bridge = new ExtensionBridge(undefined, thread);
  const warnings: string[] = [];
  bridge.onWarn = (m) => warnings.push(m);
  cleanups.push(() => fake.close(), () => bridge.terminate());
  const config = (extra: Partial<WorkerConfig> = {}): WorkerConfig => ({ runtimeApi: fake.runtimeApi, name: 'hosts-test', invoke: true, gateMarginMs: 50, ...extra });
  return { fake, bridge, warnings, config };
}

const invoke = (fake: FakeExtensionsApi, requestId: string) => fake.push({ eventType: 'INVOKE', requestId, deadlineMs: Date.now() + 60_000 });
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('main-thread host', () => {
  it('waitRegistered() never blocks on its own registration; the state follows without a wait', async () => {
    const { fake, bridge, config } = await start('main', { registerDelayMs: 150 });
    bridge.start(config());
    const t0 = performance.now();
    expect(bridge.waitRegistered(5000)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(50);
    expect(bridge.state).toBe('booting');
    await fake.waitForNextCalls(1);
    // Nobody awaited: the getters settle from the shared slots.
    expect(bridge.state).toBe('registered');
    expect(bridge.gating).toBe(true);
  });

  it('hold: false releases INVOKEs at once until a wrapper links (hold), then holds until done', async () => {
    const { fake, bridge, config } = await start('main');
    expect(await bridge.registerAsync(config({ hold: false }), 3000)).toBe(true);
    await fake.waitForNextCalls(1);
    invoke(fake, 'unlinked');
    await fake.waitForNextCalls(2, 2000);
    bridge.hold();
    invoke(fake, 'linked');
    await tick(200);
    expect(fake.nextCalls).toHaveLength(2);
    bridge.done('linked');
    await fake.waitForNextCalls(3, 2000);
    expect((await bridge.stats())?.gateTimeouts).toBe(0);
  });

  it('keeps no thread: the host says main', async () => {
    const { bridge } = await start('main');
    expect(bridge.thread).toBe('main');
  });
});

describe('worker host: heap limits', () => {
  it('holds the largest deliveries Lambda can send (maxBytes 1 MiB, 64 at once, 3 rounds) within its bounded heap', async () => {
    const { fake, bridge, config, warnings } = await start('worker');
    const maxBytes = 1_048_576;
    const telemetry = { host: '127.0.0.1', port: 0, types: ['platform' as const], buffering: { maxItems: 10_000, maxBytes, timeoutMs: 25 }, bodyTimeoutMs: 5000 };
    expect(await bridge.registerAsync(config({ telemetry }), 5000)).toBe(true);
    const event = JSON.stringify({ time: new Date().toISOString(), type: 'platform.start', record: { requestId: 'r', version: '$LATEST' } });
    // Just under the listener's cap (2 × maxBytes + 64 KiB): valid events, all parsed and validated.
    const body = `[${Array.from({ length: Math.floor((2 * maxBytes + 64 * 1024 - 1024) / (event.length + 1)) }, () => event).join(',')}]`;
    const statuses: number[] = [];
    for (let round = 0; round < 3; round++) {
      statuses.push(...(await Promise.all(Array.from({ length: 64 }, () => fake.deliver(body).catch(() => -1)))));
    }
    const accepted = statuses.filter((s) => s === 200).length;
    console.log(`worker heap limits: ${accepted} of ${statuses.length} max-size deliveries accepted and parsed`);
    expect(accepted).toBeGreaterThan(0);
    expect(bridge.state).toBe('registered');
    const stats = await bridge.stats(5000);
    expect(stats?.listener.batches).toBe(statuses.filter((s) => s === 200).length);
    expect(warnings.join('\n')).not.toMatch(/worker/);
  }, 60_000);
});

describe('worker host: the worker dies', () => {
  it('after registering: the main thread keeps polling /event/next, invokes end, the bridge falls back with one warning', async () => {
    const { fake, bridge, config, warnings } = await start('worker');
    expect(await bridge.registerAsync(config(), 5000)).toBe(true);
    await fake.waitForNextCalls(1);
    await tick(50); // the worker's 'ready' message (with Lambda's identifier) arrives
    await bridge.crashForTests();
    await tick(50);
    expect(bridge.state).toBe('failed');
    expect(bridge.gating).toBe(false);
    expect(warnings.join('\n')).toMatch(/extension worker exited with code 1: flushing before the response from now on \(its registration is kept by the main thread\)/);
    // The dead worker's poll is gone; the main thread polls with the same identifier.
    await fake.waitForNextCalls(2, 3000);
    invoke(fake, 'after-crash');
    await fake.waitForNextCalls(3, 2000);
    expect(fake.registrations).toHaveLength(1);
  });

  it('before registering: the wait ends at once as failed (not at the time bound)', async () => {
    const { fake, bridge, config } = await start('worker', { registerDelayMs: 2000 });
    const waiting = bridge.registerAsync(config(), 10_000);
    await tick(100);
    const t0 = performance.now();
    await bridge.crashForTests();
    expect(await waiting).toBe(false);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(bridge.gating).toBe(false);
    expect(fake.nextCalls).toHaveLength(0);
  });
});
