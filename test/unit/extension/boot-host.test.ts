// The Telemetry API listener host: which host the early boot looks up (preparedHost), and how
// the real worker turns it into the address it binds (sandbox name → loopback outside Lambda,
// IP literal as is, other names resolved).
import { lookup } from 'node:dns/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ExtensionBridge } from '../../../src/extension/bridge.js';
import { DEFAULT_TELEMETRY_HOST } from '../../../src/extension/defaults.js';
import { preparedHost } from '../../../src/extension/early-boot.js';
import { VARS } from '../../../src/config/variables.js';
import type { WorkerConfig } from '../../../src/extension/worker/protocol.js';
import { FakeExtensionsApi } from './fake-extensions-api.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function boot(host: string, prepare?: { host: string }) {
  const fake = await FakeExtensionsApi.start();
  const bridge = new ExtensionBridge(prepare);
  const warnings: string[] = [];
  bridge.onWarn = (m) => warnings.push(m);
  cleanups.push(() => fake.close(), () => bridge.terminate());
  const config: WorkerConfig = {
    runtimeApi: fake.runtimeApi,
    name: 'host-test',
    invoke: true,
    gateMarginMs: 50,
    telemetry: { host, port: 0, types: ['platform'], buffering: { maxItems: 1000, maxBytes: 262_144, timeoutMs: 25 }, bodyTimeoutMs: 2000 },
  };
  const ok = await bridge.registerAsync(config, 10_000);
  return { fake, bridge, ok, warnings };
}

const uriOf = (fake: FakeExtensionsApi) => (fake.subscriptions.at(-1) as { destination: { URI: string } }).destination.URI;
/** Delivers an empty batch to http://address:port/; resolves the status or the error code. */
/** The subscription's secret path (`/telemetry/<32 hex>`): the only one the listener answers. */
const pathOf = (fake: FakeExtensionsApi) => new URL(uriOf(fake)).pathname;
const deliverTo = (fake: FakeExtensionsApi, address: string, port: number) =>
  fake.deliver([], `http://${address}:${port}${pathOf(fake)}`).catch((err: { code?: string }) => err.code ?? 'error');

describe('preparedHost()', () => {
  it('defaults to the sandbox name', () => {
    expect(preparedHost({})).toEqual({ host: DEFAULT_TELEMETRY_HOST });
    expect(DEFAULT_TELEMETRY_HOST).toBe('sandbox.localdomain');
  });

  it("the worker's literal default is the configuration table's", () => {
    expect(DEFAULT_TELEMETRY_HOST).toBe(VARS.telemetryHost.default);
  });

  it('takes OTEL_LAMBDA_TELEMETRY_HOST (trimmed; blank means the default)', () => {
    expect(preparedHost({ OTEL_LAMBDA_TELEMETRY_HOST: ' 10.0.0.7 ' })).toEqual({ host: '10.0.0.7' });
    expect(preparedHost({ OTEL_LAMBDA_TELEMETRY_HOST: '   ' })).toEqual({ host: DEFAULT_TELEMETRY_HOST });
  });

  it('looks nothing up when the Telemetry API is turned off by env', () => {
    expect(preparedHost({ OTEL_LAMBDA_TELEMETRY: 'false' })).toBeUndefined();
    expect(preparedHost({ OTEL_LAMBDA_TELEMETRY: ' 0 ' })).toBeUndefined();
    expect(preparedHost({ OTEL_LAMBDA_TELEMETRY: 'TRUE' })).toEqual({ host: DEFAULT_TELEMETRY_HOST });
  });
});

describe('worker: Telemetry API listener address', () => {
  it('sandbox.localdomain not resolving (outside Lambda): binds 127.0.0.1, subscribes with the sandbox name', async () => {
    await expect(lookup(DEFAULT_TELEMETRY_HOST)).rejects.toThrow();
    const { fake, bridge, ok, warnings } = await boot(DEFAULT_TELEMETRY_HOST, { host: DEFAULT_TELEMETRY_HOST });
    expect(ok).toBe(true);
    expect(bridge.subscribed).toBe(true);
    const port = bridge.telemetryPort;
    expect(port).toBeGreaterThan(0);
    expect(uriOf(fake)).toBe(`http://sandbox.localdomain:${port}${pathOf(fake)}`);
    expect(pathOf(fake)).toMatch(/^\/telemetry\/[0-9a-f]{32}$/);
    expect(await deliverTo(fake, '127.0.0.1', port)).toBe(200);
    expect(warnings).toEqual([]);
  });

  it('the same without an early lookup (no prepare host)', async () => {
    const { fake, bridge, ok } = await boot(DEFAULT_TELEMETRY_HOST);
    expect(ok).toBe(true);
    expect(bridge.subscribed).toBe(true);
    expect(await deliverTo(fake, '127.0.0.1', bridge.telemetryPort)).toBe(200);
  });

  it('an IP literal is bound as is (127.0.0.2, not 127.0.0.1), even when another host was prepared', async () => {
    const { fake, bridge, ok, warnings } = await boot('127.0.0.2', { host: DEFAULT_TELEMETRY_HOST });
    expect(ok).toBe(true);
    expect(bridge.subscribed).toBe(true);
    const port = bridge.telemetryPort;
    expect(uriOf(fake)).toBe(`http://127.0.0.2:${port}${pathOf(fake)}`);
    expect(await deliverTo(fake, '127.0.0.2', port)).toBe(200);
    expect(await deliverTo(fake, '127.0.0.1', port)).toBe('ECONNREFUSED');
    expect(warnings).toEqual([]);
  });

  it('a resolvable name (localhost) is resolved and bound on its address', async () => {
    const { address } = await lookup('localhost');
    const { fake, bridge, ok } = await boot('localhost', { host: 'localhost' });
    expect(ok).toBe(true);
    expect(bridge.subscribed).toBe(true);
    expect(uriOf(fake)).toBe(`http://localhost:${bridge.telemetryPort}${pathOf(fake)}`);
    expect(await deliverTo(fake, address.includes(':') ? `[${address}]` : address, bridge.telemetryPort)).toBe(200);
  });

  it('another name that does not resolve: no loopback fallback; registered, not subscribed, one warning', async () => {
    const { fake, bridge, ok, warnings } = await boot('no-such-host.invalid');
    expect(ok).toBe(true);
    expect(bridge.gating).toBe(true);
    expect(bridge.subscribed).toBe(false);
    expect(bridge.telemetryPort).toBe(0);
    expect(fake.subscriptions).toEqual([]);
    await new Promise((r) => setTimeout(r, 100));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/could not listen on no-such-host\.invalid/);
  });
});
