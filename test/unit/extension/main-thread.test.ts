// The main thread's registration: when it applies (the extension wanted by env, in Lambda, not
// Managed Instances, no worker registration started), that it registers once, replaces the
// worker booted at import, holds no invoke until a wrapper links; and setupTelemetry()'s promise
// starts it from `then` (await), not from a handled rejection or Promise.prototype.then.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveExtensionOptions } from '../../../src/config/extension.js';
import { bootOnImport, bootWorker } from '../../../src/extension/early-boot.js';
import { loadedAsEsm } from '../../../src/extension/module-format.js';
import { linkExtension, resetExtensionForTests } from '../../../src/extension/index.js';
import { registerOnMainThread } from '../../../src/extension/main-thread.js';
import { slot } from '../../../src/extension/slot.js';
import { setupTelemetry } from '../../../src/providers/setup.js';
import { processState } from '../../../src/state.js';
import { FakeExtensionsApi } from './fake-extensions-api.js';

const saved = { ...process.env };
let fake: FakeExtensionsApi;
let env: Record<string, string>;

beforeEach(async () => {
  fake = await FakeExtensionsApi.start();
  env = { AWS_LAMBDA_RUNTIME_API: fake.runtimeApi, OTEL_LAMBDA_EXTENSION: 'true', OTEL_LAMBDA_FLUSH_MODE: 'after-response', OTEL_LAMBDA_TELEMETRY: 'false' };
});

afterEach(async () => {
  process.env = { ...saved };
  processState().setup = undefined;
  await resetExtensionForTests();
  await fake.close();
});

const invoke = (requestId: string) => fake.push({ eventType: 'INVOKE', requestId, deadlineMs: Date.now() + 60_000 });
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('registerOnMainThread()', () => {
  it('does not apply outside Lambda, without the extension, on Managed Instances, or after a worker registration started', async () => {
    expect(registerOnMainThread({ ...env, AWS_LAMBDA_RUNTIME_API: '' })).toBeUndefined();
    expect(registerOnMainThread({ ...env, OTEL_LAMBDA_EXTENSION: 'false' })).toBeUndefined();
    expect(registerOnMainThread({ ...env, AWS_LAMBDA_MAX_CONCURRENCY: '4' })).toBeUndefined();
    const worker = bootWorker(env);
    worker.start({ runtimeApi: fake.runtimeApi, name: 'w', invoke: true, gateMarginMs: 50 });
    expect(registerOnMainThread(env)).toBeUndefined();
    expect(slot().bridge).toBe(worker);
  });

  it('registers once from this thread, replacing the idle worker booted at import; invokes are not held until a wrapper links', async () => {
    const early = bootWorker(env);
    const first = registerOnMainThread(env);
    expect(first).toBeDefined();
    expect(registerOnMainThread(env)).toBe(first);
    await first;
    const bridge = slot().bridge!;
    expect(bridge).not.toBe(early);
    expect(early.state).toBe('failed'); // terminated before it was configured
    expect(bridge.thread).toBe('main');
    expect(bridge.state).toBe('registered');
    expect(fake.registrations).toEqual([{ name: 'otel-lambda-flush', events: ['INVOKE'] }]);
    // No wrapper yet: an INVOKE is released at once.
    await fake.waitForNextCalls(1);
    invoke('before-link');
    await fake.waitForNextCalls(2, 2000);
    // A wrapper links (never blocking): from now on invokes are held until done.
    const link = linkExtension(resolveExtensionOptions(true, env), true, {}, env);
    expect(link?.gate.gating).toBe(true);
    invoke('linked');
    await tick(150);
    expect(fake.nextCalls).toHaveLength(2);
    link!.gate.done('linked');
    await fake.waitForNextCalls(3, 2000);
    expect(fake.registrations).toHaveLength(1);
  });

  it('a wrapper linked while the registration is in flight does not block and gates once it settles', async () => {
    await fake.close();
    fake = await FakeExtensionsApi.start({ registerDelayMs: 200 });
    env.AWS_LAMBDA_RUNTIME_API = fake.runtimeApi;
    const registering = registerOnMainThread(env);
    const t0 = performance.now();
    const link = linkExtension(resolveExtensionOptions(true, env), true, {}, env);
    expect(performance.now() - t0).toBeLessThan(100);
    expect(link?.gate.gating).toBe(false);
    await registering;
    expect(link?.gate.gating).toBe(true);
    expect(fake.registrations).toHaveLength(1);
  });
});

describe('early boot at import', () => {
  it('boots the worker where the library runs as CommonJS, not as an ES module (which may register from the main thread)', () => {
    expect(loadedAsEsm()).toBe(true); // vitest loads the sources as ES modules
    bootOnImport(env);
    expect(slot().bridge).toBeUndefined();
    bootOnImport(env, false);
    expect(slot().bridge?.thread).toBe('worker');
  });
});

describe("setupTelemetry()'s promise", () => {
  it('await starts the main-thread registration and settles after it; Promise.prototype.then does not', async () => {
    Object.assign(process.env, env, { OTEL_SDK_DISABLED: 'true' });
    const p = setupTelemetry();
    void Promise.prototype.then.call(p, () => undefined);
    await tick(20);
    expect(fake.registrations).toHaveLength(0);
    await p;
    expect(fake.registrations).toHaveLength(1);
    expect(slot().bridge?.state).toBe('registered');
    // Derived promises are plain ones; a second await registers nothing more.
    expect(p.then(() => 1).constructor).toBe(Promise);
    await setupTelemetry();
    expect(fake.registrations).toHaveLength(1);
  });

  it('without the extension wanted, then() is the plain one', async () => {
    Object.assign(process.env, env, { OTEL_SDK_DISABLED: 'true', OTEL_LAMBDA_EXTENSION: 'false' });
    await setupTelemetry();
    expect(fake.registrations).toHaveLength(0);
    expect(slot().bridge).toBeUndefined();
  });
});
