// Memory with the extension: a warm environment's RSS after many healthy invokes stays close to
// sync mode's (no extension). The worker thread has a fixed cost (a second V8 isolate, about
// 20 MiB); what must not happen is growth with the invokes. A smaller run than bench/memory.mjs
// (12,000 invokes), with a generous bound.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LambdaSimulator, OtlpReceiver } from '../../src/testing/index.js';

const taskRoot = fileURLToPath(new URL('../fixtures/extension/', import.meta.url));
const INVOKES = 600;

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
}

/** RSS (MiB) of the frozen process after invoke 1 and after the last one. */
async function measure(env: Record<string, string>): Promise<{ first: number; last: number }> {
  const rx = await OtlpReceiver.start();
  open.push(rx);
  let count = 0;
  const rss: number[] = [];
  const sim = await LambdaSimulator.start({
    taskRoot,
    handler: 'instrumented.handler',
    // Lambda's smallest function: the simulator gives node the heap limits Lambda's bootstrap
    // derives from it, so V8 collects as it would there (and kills past 128 MB, as Lambda does).
    memorySizeMb: 128,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, ...env },
    onFreeze: ({ pid }) => {
      if (count === 1 || count === INVOKES) rss.push(rssMiB(pid));
    },
  });
  open.push(sim);
  for (count = 1; count <= INVOKES; count++) expect((await sim.invoke({})).status).toBe('success');
  return { first: rss[0]!, last: rss[1]! };
}

describe('extension: memory', () => {
  it(`RSS after ${INVOKES} invokes stays within a fixed worker cost of sync mode's`, async () => {
    const sync = await measure({ OTEL_LAMBDA_FLUSH_MODE: 'sync' });
    const ext = await measure({ OTEL_LAMBDA_EXTENSION: 'true', OTEL_LAMBDA_FLUSH_MODE: 'after-response' });
    console.log(`RSS after 1 / ${INVOKES} invokes: sync ${sync.first.toFixed(0)} / ${sync.last.toFixed(0)} MiB, extension ${ext.first.toFixed(0)} / ${ext.last.toFixed(0)} MiB`);
    // Generous: the run is short and the machine shared; bench/memory.mjs gives the real figures.
    expect(ext.last).toBeLessThan(sync.last * 1.4);
    expect(ext.last - ext.first).toBeLessThan(sync.last - sync.first + 40);
  }, 300_000);
});
