// Thread coordination on Lambda Managed Instances, over a real BroadcastChannel (it delivers
// between channels of one thread too): the main side learns the workers from their hellos,
// tells them to shut down and ends its wait as soon as all answered; malformed messages are ignored.
import { BroadcastChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { coordinateWorkers, knownWorkers } from '../../../src/managed/main-side.js';
import { CHANNEL_NAME, inRuntimeWorker, isExtensionWorker, managedMode } from '../../../src/threads.js';
import { processState } from '../../../src/state.js';

const channels: BroadcastChannel[] = [];
afterEach(() => channels.splice(0).forEach((c) => c.close()));

/** A stand-in worker thread: answers `shutdown` with `ack` after `delayMs`. */
function fakeWorker(thread: number, delayMs: number, seen: unknown[]): BroadcastChannel {
  const ch = new BroadcastChannel(CHANNEL_NAME);
  channels.push(ch);
  ch.onmessage = (e) => {
    const m = (e as { data: { t: string; budgetMs?: number } }).data;
    seen.push(m);
    if (m.t === 'shutdown') setTimeout(() => ch.postMessage({ t: 'ack', thread }), delayMs);
  };
  ch.postMessage({ t: 'hello', thread });
  return ch;
}

describe('Managed Instances coordination', () => {
  it('knows the mode and the thread', () => {
    expect(managedMode({ AWS_LAMBDA_MAX_CONCURRENCY: '32' })).toBe(true);
    expect(managedMode({ AWS_LAMBDA_MAX_CONCURRENCY: ' ' })).toBe(false);
    expect(managedMode({})).toBe(false);
    expect(isExtensionWorker()).toBe(false);
  });

  it('main side: waits for every worker that said hello, and no longer than all answers take', async () => {
    coordinateWorkers();
    const seen: unknown[] = [];
    const junk = new BroadcastChannel(CHANNEL_NAME);
    channels.push(junk);
    junk.postMessage({ t: 'hello', thread: 'x' });
    junk.postMessage('garbage');
    fakeWorker(101, 10, seen);
    fakeWorker(102, 60, seen);
    await new Promise((r) => setTimeout(r, 50));
    expect([...knownWorkers()].sort()).toEqual([101, 102]);
    expect(seen).toContainEqual({ t: 'main' }); // the main side answers each hello
    const started = performance.now();
    await processState().threadShutdown!(2000);
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(50);
    expect(took).toBeLessThan(1500); // ended by the answers, not the budget
    expect(seen).toContainEqual({ t: 'shutdown', budgetMs: 2000 - 25 });
    expect(inRuntimeWorker()).toBe(false);
  });
});
