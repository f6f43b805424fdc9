// Pins what src/internals/middy.ts assumes about each supported middy major.
import { describe, expect, it } from 'vitest';
import middy7 from '@middy/core';
import middy5 from 'middy5';
import middy6 from 'middy6';
import { assignedByMiddy5BeforeStack, hasEarlyResponseMarker } from '../../../src/internals/middy.js';

type Observation = { marker: boolean; middy5Stack: boolean };

/** A before middleware returns early; a spy records what the request looks like as middy assigns the response. */
async function earlyReturn(make: (h: unknown) => { use(m: unknown): unknown }): Promise<Observation[]> {
  const seen: Observation[] = [];
  const spy = {
    before: (request: Record<string, unknown>) => {
      let value: unknown;
      Object.defineProperty(request, 'response', {
        configurable: true,
        get: () => value,
        set(v) {
          value = v;
          seen.push({ marker: hasEarlyResponseMarker(request), middy5Stack: assignedByMiddy5BeforeStack() });
        },
      });
    },
  };
  const early = { before: () => ({ statusCode: 422 }) };
  const handler = make(async () => ({ statusCode: 200 })) as { use(m: unknown): typeof handler } & ((e: unknown, c: unknown) => Promise<unknown>);
  handler.use(spy).use(early);
  const result = await handler({}, { getRemainingTimeInMillis: () => 10_000 });
  expect(result).toEqual({ statusCode: 422 });
  return seen;
}

describe('middy internals', () => {
  it('middy 7 and 6 mark an early return with request.earlyResponse', async () => {
    for (const make of [middy7, middy6]) {
      const seen = await earlyReturn(make as never);
      expect(seen[0]?.marker).toBe(true);
    }
  });

  it('middy 5 has no marker; the assignment comes from runMiddlewares (stack)', async () => {
    const seen = await earlyReturn(middy5 as never);
    expect(seen[0]).toEqual({ marker: false, middy5Stack: true });
  });

  it('the handler result is not taken for an early return (middy 5)', async () => {
    const seen: boolean[] = [];
    const spy = {
      before: (request: Record<string, unknown>) => {
        let value: unknown;
        Object.defineProperty(request, 'response', { configurable: true, get: () => value, set(v) { value = v; seen.push(assignedByMiddy5BeforeStack()); } });
      },
    };
    const h = (middy5 as never as (h: unknown) => { use(m: unknown): (e: unknown, c: unknown) => Promise<unknown> })(async () => 'ok').use(spy);
    expect(await h({}, { getRemainingTimeInMillis: () => 10_000 })).toBe('ok');
    expect(seen).toEqual([false]);
  });
});
