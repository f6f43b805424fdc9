// The 3-parameter callback wrapper (runtimes that still accept callback handlers: the managed
// nodejs22.x and older). vitest runs on Node 24, where withFlush picks the 2-parameter shape,
// so the runtime probe is forced to "accepts callbacks" here; everything else is real.
import { SpanStatusCode } from '@opentelemetry/api';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeContext } from '../../../src/testing/context.js';
import { memoryTracing, resetProcessState } from './helpers.js';

vi.mock('../../../src/handler/runtime.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/handler/runtime.js')>()),
  runtimeAcceptsCallbacks: () => true,
}));

const { withFlush } = await import('../../../src/index.js');

type Cb = (error: unknown, result?: unknown) => void;

/** Calls a 3-parameter wrapper the way the runtime does and records what the callback saw. */
function invoke(h: (...a: any[]) => unknown, event: object, onCallback: () => void = () => undefined): Promise<{ error: unknown; result: unknown }> {
  return new Promise((resolve) => {
    const cb: Cb = (error, result) => {
      onCallback();
      resolve({ error, result });
    };
    h(event, fakeContext(), cb);
  });
}

describe('withFlush, runtime that accepts callbacks: 3-parameter wrapper', () => {
  beforeEach(() => resetProcessState());

  it('keeps 3 parameters; callback(null, x) reaches the runtime callback after the flush completed', async () => {
    const m = memoryTracing();
    const h = withFlush((event: { n: number }, _ctx: unknown, cb: Cb) => {
      setTimeout(() => cb(null, { n: event.n }), 5);
    }, { tracerProvider: m.provider, handleSigterm: false }) as unknown as (...a: any[]) => unknown;
    expect(h.length).toBe(3);
    let atCallback = { flushes: -1, spans: -1 };
    const out = await invoke(h, { n: 4 }, () => (atCallback = { flushes: m.flushes, spans: m.spans().length }));
    expect(out).toEqual({ error: null, result: { n: 4 } });
    expect(atCallback).toEqual({ flushes: 1, spans: 1 });
  });

  it('callback(err), a synchronous throw and a returned rejection: the same error, after the flush, ERROR span', async () => {
    const m = memoryTracing();
    const err = new RangeError('cb failed');
    const viaCallback = withFlush((_e: unknown, _c: unknown, cb: Cb) => cb(err), { tracerProvider: m.provider, handleSigterm: false }) as never;
    const viaThrow = withFlush((_e: unknown, _c: unknown, _cb: Cb) => { throw err; }, { tracerProvider: m.provider, handleSigterm: false }) as never;
    const viaPromise = withFlush(async (_e: unknown, _c: unknown, _cb: Cb) => { throw err; }, { tracerProvider: m.provider, handleSigterm: false }) as never;
    for (const [i, h] of [viaCallback, viaThrow, viaPromise].entries()) {
      let spansAtCallback = -1;
      const out = await invoke(h, {}, () => (spansAtCallback = m.spans().length));
      expect(out.error).toBe(err);
      expect(spansAtCallback).toBe(i + 1);
      expect(m.spans()[i]?.status.code).toBe(SpanStatusCode.ERROR);
    }
  });
});
