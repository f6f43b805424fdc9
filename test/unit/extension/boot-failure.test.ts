// Early boot failure: the worker cannot be constructed when the library is imported. Nothing is
// said at import; the failure is reported once when the handler is wrapped, and the wrapper
// flushes before the response. The Worker class is faked (it throws) in this file.
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeContext } from '../../../src/testing/context.js';
import { memoryTracing, resetProcessState } from '../core/helpers.js';

const fake = vi.hoisted(() => ({ constructed: 0 }));

// The library loads node:worker_threads when it boots the worker (src/worker-threads.ts).
vi.mock('../../../src/worker-threads.js', async (importOriginal) => {
  const real = (await importOriginal<typeof import('../../../src/worker-threads.js')>()).workerThreads();
  class ThrowingWorker {
    constructor() {
      fake.constructed++;
      throw new Error('worker boom');
    }
  }
  return { workerThreads: () => ({ ...real, Worker: ThrowingWorker }) };
});

// The early boot is the CommonJS case (an ES module may register from the main thread instead):
// these tests import the library the way a CommonJS function's loading does.
vi.mock('../../../src/extension/module-format.js', () => ({ loadedAsEsm: () => false }));

const saved = { ...process.env };
let consoleWarns: string[];
let diagWarns: string[];

beforeEach(() => {
  vi.resetModules();
  resetProcessState();
  fake.constructed = 0;
  consoleWarns = [];
  diagWarns = [];
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void consoleWarns.push(args.join(' ')));
  const noop = () => {};
  const logger: DiagLogger = { error: noop, info: noop, debug: noop, verbose: noop, warn: (m: string) => void diagWarns.push(m) };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
});

afterEach(async () => {
  vi.restoreAllMocks();
  diag.disable();
  process.env = { ...saved };
  const ext = await import('../../../src/extension/index.js');
  await ext.resetExtensionForTests();
});

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/** Configuration warnings go to the diag logger when one is registered (as here), else the console. */
const said = () => [...consoleWarns, ...diagWarns];

describe('extension worker cannot start', () => {
  it('at import: silent then; at wrap: one warning, sync flushing, no second boot attempt', async () => {
    process.env.AWS_LAMBDA_RUNTIME_API = '127.0.0.1:9';
    process.env.OTEL_LAMBDA_EXTENSION = 'true';
    process.env.OTEL_LAMBDA_FLUSH_MODE = 'after-response';
    process.env.OTEL_LAMBDA_TELEMETRY = 'false';
    // Importing the library boots the worker (which throws here): nothing may escape or be said yet.
    const lib = await import('../../../src/index.js');
    expect(fake.constructed).toBe(1);
    expect(said()).toEqual([]);

    const m = memoryTracing();
    const flushesSeen: number[] = [];
    const options = { tracerProvider: m.provider, handleSigterm: false };
    const h = lib.withFlush(async () => {
      flushesSeen.push(m.flushes);
      return 'ok';
    }, options) as unknown as Handler;
    expect(said()).toHaveLength(1);
    expect(said()[0]).toMatch(/extension worker could not start \(worker boom\): flushing before the response/);
    // A second wrapper reports nothing more and does not try to boot again.
    const h2 = lib.withFlush(async () => 'ok2', options) as unknown as Handler;
    expect(said()).toHaveLength(1);
    expect(fake.constructed).toBe(1);

    // Sync fallback: the flush has happened by the time the result is handed back.
    expect(await h({}, fakeContext())).toBe('ok');
    expect(flushesSeen).toEqual([0]);
    expect(m.flushes).toBe(1);
    expect(m.spans()).toHaveLength(1);
    expect(await h2({}, fakeContext())).toBe('ok2');
    expect(m.flushes).toBe(2);
    expect(said()).toHaveLength(1);
  });

  it('extension enabled in code only (no early boot): the wrap-time boot failure is reported once, sync flushing', async () => {
    process.env.AWS_LAMBDA_RUNTIME_API = '127.0.0.1:9';
    delete process.env.OTEL_LAMBDA_EXTENSION;
    delete process.env.OTEL_LAMBDA_FLUSH_MODE;
    const lib = await import('../../../src/index.js');
    expect(fake.constructed).toBe(0);

    const m = memoryTracing();
    const options = { tracerProvider: m.provider, handleSigterm: false, extension: { telemetry: false }, flush: { mode: 'after-response' as const } };
    const h = lib.withFlush(async () => 'ok', options) as unknown as Handler;
    lib.withFlush(async () => 'ok', options);
    // The failure is remembered: the second wrap does not try another Worker.
    expect(fake.constructed).toBe(1);
    expect(said()).toHaveLength(1);
    expect(said()[0]).toMatch(/extension worker could not start \(worker boom\)/);
    expect(await h({}, fakeContext())).toBe('ok');
    expect(m.flushes).toBe(1);
  });

  it('without AWS_LAMBDA_RUNTIME_API the import boots nothing', async () => {
    delete process.env.AWS_LAMBDA_RUNTIME_API;
    process.env.OTEL_LAMBDA_EXTENSION = 'true';
    await import('../../../src/index.js');
    const { slot } = await import('../../../src/extension/slot.js');
    expect(fake.constructed).toBe(0);
    expect(slot().bootError).toBeUndefined();
    expect(consoleWarns).toEqual([]);
  });
});
