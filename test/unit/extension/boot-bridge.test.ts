// The boot path's registration wait: bridge.start() + the blocking waitRegistered(), and the
// wrap-time beginExtension()/chooseExtensionStrategy() above it. The fake Extensions API runs on
// its own thread, so this thread can really block in Atomics.wait while it answers.
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExtensionBridge } from '../../../src/extension/bridge.js';
import type { WorkerConfig } from '../../../src/extension/worker/protocol.js';

const FAKE = new URL('../../fixtures/extension-boot/fake-api-thread.mjs', import.meta.url);

interface Seen {
  registrations: { name: string; events: string[] }[];
  subscriptions: unknown[];
  nextCalls: number;
}

interface FakeApi {
  runtimeApi: string;
  seen(): Promise<Seen>;
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function fakeApi(options: { registerStatus?: number; registerDelayMs?: number } = {}): Promise<FakeApi> {
  const thread = new Worker(FAKE, { workerData: options });
  cleanups.push(() => thread.terminate());
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('fake Extensions API did not start')), 10_000);
    thread.once('error', reject);
    thread.once('message', (m: { port: number }) => {
      clearTimeout(timer);
      resolve(m.port);
    });
  });
  return {
    runtimeApi: `127.0.0.1:${port}`,
    seen: () =>
      new Promise<Seen>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('fake Extensions API did not answer')), 5000);
        thread.once('message', (m: { seen: Seen }) => {
          clearTimeout(timer);
          resolve(m.seen);
        });
        thread.postMessage({ type: 'dump' });
      }),
  };
}

function bridgeWithWarnings(): { bridge: ExtensionBridge; warnings: string[] } {
  const bridge = new ExtensionBridge();
  const warnings: string[] = [];
  bridge.onWarn = (m) => warnings.push(m);
  cleanups.push(() => bridge.terminate());
  return { bridge, warnings };
}

const config = (runtimeApi: string): WorkerConfig => ({ runtimeApi, name: 'boot-test', invoke: true, gateMarginMs: 50 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls (bounded) until `check` holds. */
async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(20);
  }
}

describe('bridge.start() + waitRegistered()', () => {
  it('registered: blocks until the worker registered, then gates invokes; no warning', async () => {
    const api = await fakeApi({ registerDelayMs: 300 });
    const { bridge, warnings } = bridgeWithWarnings();
    bridge.start(config(api.runtimeApi));
    expect(bridge.state).toBe('booting');
    const started = performance.now();
    expect(bridge.waitRegistered(10_000)).toBe(true);
    // It really waited for the (delayed) reply rather than returning a guess.
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    expect(bridge.state).toBe('registered');
    expect(bridge.gating).toBe(true);
    expect(bridge.subscribed).toBe(false);
    // Settled: a later call answers at once with the same outcome.
    expect(bridge.waitRegistered(10_000)).toBe(true);
    const seen = await api.seen();
    expect(seen.registrations).toEqual([{ name: 'boot-test', events: ['INVOKE'] }]);
    await eventually(async () => (await api.seen()).nextCalls === 1);
    expect(warnings).toEqual([]);
  });

  it('timed out: returns false within the bound, never gates, says why (the caller warns once)', async () => {
    const api = await fakeApi({ registerDelayMs: 1500 });
    const { bridge, warnings } = bridgeWithWarnings();
    bridge.start(config(api.runtimeApi));
    const started = performance.now();
    expect(bridge.waitRegistered(150)).toBe(false);
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(140);
    expect(waited).toBeLessThan(1400);
    expect(bridge.state).toBe('failed');
    expect(bridge.gating).toBe(false);
    // The registration completes later; the outcome the caller acted on stays.
    await eventually(async () => (await api.seen()).registrations.length === 1);
    await eventually(async () => (await api.seen()).nextCalls === 1);
    await sleep(100);
    expect(bridge.waitRegistered(10_000)).toBe(false);
    expect(bridge.gating).toBe(false);
    expect(bridge.failure).toBe('did not complete within 150 ms');
    // The wrap-time caller prints the one warning (linkExtension, below), not the bridge.
    expect(warnings).toHaveLength(0);
  });

  it('refused (403): returns false without waiting out the bound, never polls, one warning naming the error', async () => {
    const api = await fakeApi({ registerStatus: 403 });
    const { bridge, warnings } = bridgeWithWarnings();
    bridge.start(config(api.runtimeApi));
    const started = performance.now();
    expect(bridge.waitRegistered(20_000)).toBe(false);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(bridge.state).toBe('failed');
    expect(bridge.gating).toBe(false);
    await eventually(() => warnings.length > 0);
    await sleep(100);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/403 Extension\.RegistrationClosed/);
    const seen = await api.seen();
    expect(seen.registrations).toHaveLength(1);
    expect(seen.nextCalls).toBe(0);
  });

  it('a second caller waits for the same registration instead of returning early', async () => {
    const api = await fakeApi({ registerDelayMs: 300 });
    const { bridge } = bridgeWithWarnings();
    // The first caller is waiting (without blocking) for the outcome...
    const first = bridge.registerAsync(config(api.runtimeApi), 10_000);
    expect(bridge.state).toBe('booting');
    // ...when a second one blocks for it: it must get the real outcome, not "not yet".
    expect(bridge.waitRegistered(10_000)).toBe(true);
    expect(bridge.gating).toBe(true);
    expect(await first).toBe(true);
    expect((await api.seen()).registrations).toHaveLength(1);
  });

  it('waitRegistered() before start(): false at once, and start() + waitRegistered() still register afterwards', async () => {
    const api = await fakeApi();
    const { bridge } = bridgeWithWarnings();
    expect(bridge.waitRegistered(10_000)).toBe(false);
    expect(bridge.state).toBe('booting');
    bridge.start(config(api.runtimeApi));
    expect(bridge.waitRegistered(10_000)).toBe(true);
  });
});

describe('linkExtension() / composeStrategy() at wrap time', () => {
  const saved = { ...process.env };
  let consoleWarns: string[];
  const providers = {};

  beforeEach(async () => {
    // warnOnce remembers its keys per module instance: a fresh module graph per test.
    vi.resetModules();
    consoleWarns = [];
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void consoleWarns.push(args.join(' ')));
    cleanups.push(async () => {
      vi.restoreAllMocks();
      process.env = { ...saved };
      const ext = await import('../../../src/extension/index.js');
      await ext.resetExtensionForTests();
    });
  });

  async function load() {
    const ext = await import('../../../src/extension/index.js');
    const { slot } = await import('../../../src/extension/slot.js');
    const { resolveExtensionOptions } = await import('../../../src/config/extension.js');
    return { ext, slot, resolveExtensionOptions };
  }

  /** Lets the queued registration waits run (they block this thread, bounded). */
  const settle = () => new Promise((r) => setImmediate(r));

  it('two wrappers: both wait for the one registration and both see it', async () => {
    const api = await fakeApi({ registerDelayMs: 300 });
    const { ext, slot, resolveExtensionOptions } = await load();
    const env = { AWS_LAMBDA_RUNTIME_API: api.runtimeApi, OTEL_LAMBDA_TELEMETRY: 'false' };
    const options = resolveExtensionOptions({ registrationTimeoutMs: 10_000 }, env);
    const a = ext.linkExtension(options, true, providers, env);
    const b = ext.linkExtension(options, true, providers, env);
    expect(a && b).toBeTruthy();
    expect(a!.gate).toBe(b!.gate);
    await settle();
    expect(slot().bridge?.state).toBe('registered');
    expect(a!.gate.gating).toBe(true);
    expect((await api.seen()).registrations).toHaveLength(1);
    expect(consoleWarns).toEqual([]);
  });

  it('timed out: both wrappers fall back, one console warning', async () => {
    const api = await fakeApi({ registerDelayMs: 1500 });
    const { ext, resolveExtensionOptions } = await load();
    const env = { AWS_LAMBDA_RUNTIME_API: api.runtimeApi, OTEL_LAMBDA_TELEMETRY: 'false' };
    const options = resolveExtensionOptions({ registrationTimeoutMs: 100 }, env);
    const a = ext.linkExtension(options, true, providers, env)!;
    const b = ext.linkExtension(options, true, providers, env)!;
    await settle();
    expect(a.gate.gating).toBe(false);
    expect(b.gate.gating).toBe(false);
    expect(consoleWarns).toHaveLength(1);
    expect(consoleWarns[0]).toMatch(/registration did not complete within 100 ms: flushing before the response/);
  });

  it('refused: the gate never holds, one console warning with the HTTP status', async () => {
    const api = await fakeApi({ registerStatus: 403 });
    const { ext, resolveExtensionOptions } = await load();
    const env = { AWS_LAMBDA_RUNTIME_API: api.runtimeApi, OTEL_LAMBDA_TELEMETRY: 'false' };
    const options = resolveExtensionOptions({ registrationTimeoutMs: 10_000 }, env);
    const a = ext.linkExtension(options, true, providers, env)!;
    ext.linkExtension(options, true, providers, env);
    await settle();
    expect(a.gate.gating).toBe(false);
    expect(consoleWarns.filter((w) => /registration refused with HTTP 403: flushing before the response/.test(w))).toHaveLength(1);
  });

  it('composeStrategy() returns without blocking; the wait runs in a queued microtask', async () => {
    const api = await fakeApi({ registerDelayMs: 1000 });
    process.env.AWS_LAMBDA_RUNTIME_API = api.runtimeApi;
    process.env.OTEL_LAMBDA_TELEMETRY = 'false';
    const { composeStrategy } = await import('../../../src/compose.js');
    const { resolveOptions } = await import('../../../src/config/options.js');
    const { slot } = await load();
    // Work queued before the wrap (setupTelemetry()'s SDK loading) runs before the wait.
    let before = 'not run';
    queueMicrotask(() => (before = slot().bridge?.state ?? 'no bridge'));
    const strategy = composeStrategy(
      resolveOptions({ extension: { registrationTimeoutMs: 10_000 }, flush: { mode: 'after-response' }, handleSigterm: false }),
    );
    expect(strategy.mode).toBe('after-response');
    const bridge = slot().bridge!;
    // Not waited for yet: the registration reply is still 1 s away.
    expect(bridge.state).toBe('booting');
    // Work queued after the wrap runs once the wait settled (before the runtime's first /next).
    let after = 'not run';
    queueMicrotask(() => (after = bridge.state));
    await Promise.resolve();
    expect(before).toBe('booting');
    expect(after).toBe('registered');
    expect(bridge.gating).toBe(true);
  });
});
