// The receiver's idle-connection forgetting through real freezes: the function's exporter keeps a
// keep-alive socket in its pool while SIGSTOPped; the "NAT" forgets it, and the first export after
// the thaw meets a reset (production behaviour a plain local collector never shows).
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LambdaSimulator, OtlpReceiver } from '../../src/testing/index.js';

const taskRoot = fileURLToPath(new URL('../fixtures/sim', import.meta.url));
const open: { close(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function run(forgetIdleConnectionsMs: number | undefined): Promise<{ rx: OtlpReceiver; answers: { code: number; ms: number }[] }> {
  const rx = await OtlpReceiver.start();
  open.push(rx);
  if (forgetIdleConnectionsMs !== undefined) rx.setBehavior({ forgetIdleConnectionsMs });
  const sim = await LambdaSimulator.start({
    taskRoot,
    handler: 'exporter.handler',
    env: { COLLECTOR_URL: rx.url },
    timeoutMs: 10_000,
    onFreeze: () => new Promise((r) => setTimeout(r, 400)), // frozen longer than the idle timeout
  });
  open.push(sim);
  const answers = [];
  for (let n = 0; n < 3; n++) answers.push((await sim.invoke({ n })).response as { code: number; ms: number });
  return { rx, answers };
}

describe('idle connections forgotten while the function is frozen', () => {
  it('the first export after each thaw meets a reset on its pooled socket', async () => {
    const { rx, answers } = await run(200);
    const outcomes = rx.requests().map((r) => r.outcome);
    expect(outcomes.filter((o) => o === 'forgotten')).toHaveLength(2); // invokes 2 and 3
    // This exporter version retries ECONNRESET on a new connection after its backoff: delivered, but slow.
    expect(answers.every((a) => a.code === 0)).toBe(true);
    expect(rx.spans().map((s) => s.name)).toEqual(['span-0', 'span-1', 'span-2']);
    expect(Math.max(answers[1]!.ms, answers[2]!.ms)).toBeGreaterThan(100);
  });

  it('without the option the same run sees no reset', async () => {
    const { rx, answers } = await run(undefined);
    expect(rx.requests().map((r) => r.outcome)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(answers.every((a) => a.code === 0)).toBe(true);
  });
});
