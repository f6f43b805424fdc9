// The shared alarm keeps its entries in a stack popped at cancel: cancelling in any order
// (top, middle, bottom, after a sweep) must never fire a cancelled callback nor lose a live one.
import { describe, expect, it } from 'vitest';
import { schedule } from '../../../src/alarm.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('schedule: cancel order', () => {
  it('cancelled entries never fire, live ones all do, whatever the cancel order', async () => {
    const fired: number[] = [];
    const cancels = Array.from({ length: 10 }, (_, i) => schedule(5 + (i % 3), () => fired.push(i)));
    // middle, bottom, top, then some again (a second cancel is a no-op)
    for (const i of [4, 0, 9, 7, 4, 2]) cancels[i]!();
    await sleep(60);
    expect(fired.sort((a, b) => a - b)).toEqual([1, 3, 5, 6, 8]);
  });

  it('many more cancelled than live entries (a sweep) keeps the live ones', async () => {
    const fired: string[] = [];
    schedule(20, () => fired.push('live-1'));
    for (let i = 0; i < 500; i++) {
      const keep = schedule(10_000, () => fired.push('cancelled'));
      schedule(0, () => undefined)(); // armed and cancelled at once, as a flush budget is
      keep();
    }
    schedule(25, () => fired.push('live-2'));
    await sleep(80);
    expect(fired).toEqual(['live-1', 'live-2']);
  });

  it('an invoke-like pattern (guard armed, budget armed and cancelled, guard cancelled) fires nothing', async () => {
    let fired = 0;
    for (let i = 0; i < 100; i++) {
      const guard = schedule(3, () => fired++);
      schedule(2, () => fired++)();
      guard();
    }
    await sleep(30);
    expect(fired).toBe(0);
  });
});
