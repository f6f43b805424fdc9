// otelFlush (middy 7) under the real runtime client (Node 24) and the simulator's freezes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LambdaSimulator, OtlpReceiver, ReceivedSpan } from '../../src/testing/index.js';
import { FREEZE_RECEIVER_DELAY_MS, invocationSpan, startPair } from './core-helpers.js';

describe('otelFlush (middy) through the simulator', () => {
  let rx: OtlpReceiver;
  let sim: LambdaSimulator;
  let close: () => Promise<void>;
  const atFreeze = new Map<string, ReceivedSpan[]>();

  beforeAll(async () => {
    ({ rx, sim, close } = await startPair('middy.handler', {
      onFreeze: ({ requestId }) => {
        atFreeze.set(requestId, rx.spans());
      },
    }));
    rx.setBehavior({ delayMs: FREEZE_RECEIVER_DELAY_MS });
  });
  afterAll(() => close?.());

  it('200 invokes with a freeze after each: every span (with its child) is at the receiver before its freeze', async () => {
    for (let n = 0; n < 200; n++) {
      const r = await sim.invoke({ n });
      expect(r.status).toBe('success');
      expect(r.response).toEqual({ ok: true, n });
      const seen = atFreeze.get(r.requestId);
      const span = invocationSpan(seen ?? [], r.requestId);
      expect(span, `span of invoke ${n} at the freeze`).toBeDefined();
      expect(seen!.some((s) => s.name === 'child-work' && s.parentSpanId === span!.spanId), `child of invoke ${n}`).toBe(true);
    }
    expect(rx.spans({ name: 'test-function' })).toHaveLength(200);
  }, 90_000);

  it('early return by another middleware: span flushed before the freeze', async () => {
    const r = await sim.invoke({ early: true });
    expect(r.response).toEqual({ early: true });
    expect(invocationSpan(atFreeze.get(r.requestId) ?? [], r.requestId)).toBeDefined();
  });

  it('errors: same errorType / errorMessage as without the library, ERROR span', async () => {
    const r = await sim.invoke({ mode: 'throw' });
    expect(r.error).toMatchObject({ errorType: 'PaymentDeclined', errorMessage: 'card 4242 declined' });
    const span = invocationSpan(atFreeze.get(r.requestId) ?? [], r.requestId);
    expect(span?.status.code).toBe('error');
  });
});
