// Control experiment for the test kit itself: a function that uses a batch span processor and
// never flushes loses its spans to the freeze, and the kit (simulator + receiver) can see it.
// A flushing invoke is the positive control: the receiver does see spans whose export
// completed before the freeze. Each test starts its own environment (no shared state).
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LambdaSimulator, OtlpReceiver, type ReceiverSnapshot } from '../../src/testing/index.js';

const taskRoot = fileURLToPath(new URL('../fixtures/control/', import.meta.url));
// Time given to any request already on the wire to land before a frozen-state snapshot, so
// "missing" means "not sent", not "still in flight".
const SETTLE_MS = 200;
// The receiver answers (and records) each export this late: only a flush that was awaited
// before the handler returned has landed when the process freezes.
const RECEIVER_DELAY_MS = 100;

interface Frozen {
  snapshot: ReceiverSnapshot;
  processState: string | undefined;
}

interface Env {
  rx: OtlpReceiver;
  sim: LambdaSimulator;
  frozen: Map<string, Frozen>;
  /** Waited at each freeze before the snapshot (0: snapshot at the freeze itself). */
  settleMs: number;
}

const open: Env[] = [];
afterEach(async () => {
  for (const env of open.splice(0)) {
    await env.sim.close().catch(() => undefined);
    await env.rx.close();
  }
});

/** A fresh receiver + simulator on the control fixture. */
async function startEnv(): Promise<Env> {
  const rx = await OtlpReceiver.start();
  const env = { rx, frozen: new Map<string, Frozen>(), settleMs: SETTLE_MS } as Env;
  try {
    env.sim = await LambdaSimulator.start({
      taskRoot,
      handler: 'index.handler',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: rx.url },
      onFreeze: async ({ requestId }) => {
        if (env.settleMs > 0) await new Promise((resolve) => setTimeout(resolve, env.settleMs));
        env.frozen.set(requestId, { snapshot: rx.snapshot(), processState: env.sim.processState() });
      },
    });
  } catch (e) {
    await rx.close();
    throw e;
  }
  open.push(env);
  return env;
}

/** Invokes without a flush; checks the span is missing while frozen and returns its id. */
async function invokeUnflushed({ sim, frozen }: Env, n: number): Promise<string> {
  const result = await sim.invoke({ n });
  expect(result.status).toBe('success');
  expect(result.frozen).toBe(true);
  const { spanId } = result.response as { spanId: string };
  expect(spanId).toMatch(/^[0-9a-f]{16}$/);
  const atFreeze = frozen.get(result.requestId);
  expect(atFreeze, `onFreeze ran for invoke ${n}`).toBeDefined();
  expect(atFreeze!.processState).toBe('T');
  expect(atFreeze!.snapshot.spans.map((s) => s.spanId)).not.toContain(spanId);
  return spanId;
}

describe('control: unflushed spans are lost at the freeze, and the kit sees it', () => {
  it('each invoke’s span is missing at the receiver while the process is frozen', async () => {
    const env = await startEnv();
    for (let n = 1; n <= 5; n++) await invokeUnflushed(env, n);
  });

  it('positive control: a flushing invoke delivers its span (and the queued ones) before the freeze, even from a slow receiver', async () => {
    const env = await startEnv();
    const queued = [await invokeUnflushed(env, 1), await invokeUnflushed(env, 2)];
    // Snapshot at the freeze itself, with a receiver that records each export late: the spans
    // are there only because the handler awaited the flush's completion before returning.
    env.settleMs = 0;
    env.rx.setBehavior({ delayMs: RECEIVER_DELAY_MS });
    const result = await env.sim.invoke({ n: 3, flush: true });
    expect(result.status).toBe('success');
    expect(result.frozen).toBe(true);
    const { spanId } = result.response as { spanId: string };
    const seen = env.frozen.get(result.requestId)!.snapshot.spans.filter((s) => s.name === 'control-invoke');
    expect(seen.map((s) => s.spanId)).toEqual(expect.arrayContaining([...queued, spanId]));
    expect(seen.find((s) => s.spanId === spanId)!.attributes['invoke.n']).toBe(3);
    expect(env.rx.requests().every((r) => r.outcome === 'accepted' && r.contentType === 'application/json')).toBe(true);
  });

  it('a span still queued when the environment is killed never arrives', async () => {
    const env = await startEnv();
    const spanId = await invokeUnflushed(env, 1);
    const shutdown = await env.sim.shutdown(); // no extension registered: SIGKILL, as Lambda does
    expect(shutdown.signal).toBe('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(env.rx.spans().map((s) => s.spanId)).not.toContain(spanId);
  });
});
