// Control experiment for the test kit itself: a function that uses a batch span processor and
// never flushes loses its spans to the freeze, and the kit (simulator + receiver) can see it.
// A flushing invoke in the same environment is the positive control: the receiver does see
// spans that were sent before the freeze.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LambdaSimulator, OtlpReceiver, type ReceiverSnapshot } from '../../src/testing/index.js';

const taskRoot = fileURLToPath(new URL('../fixtures/control/', import.meta.url));
// Time given to any request already on the wire to land before a frozen-state snapshot, so
// "missing" means "not sent", not "still in flight".
const SETTLE_MS = 200;

interface Frozen {
  snapshot: ReceiverSnapshot;
  processState: string | undefined;
}

describe('control: unflushed spans are lost at the freeze, and the kit sees it', () => {
  let rx: OtlpReceiver;
  let sim: LambdaSimulator;
  const frozen = new Map<string, Frozen>();

  beforeAll(async () => {
    rx = await OtlpReceiver.start();
    sim = await LambdaSimulator.start({
      taskRoot,
      handler: 'index.handler',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: rx.url },
      onFreeze: async ({ requestId }) => {
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        frozen.set(requestId, { snapshot: rx.snapshot(), processState: sim.processState() });
      },
    });
  });

  afterAll(async () => {
    await sim?.close();
    await rx?.close();
  });

  const spanIds: string[] = [];

  it('each invoke’s span is missing at the receiver while the process is frozen', async () => {
    for (let n = 1; n <= 5; n++) {
      const result = await sim.invoke({ n });
      expect(result.status).toBe('success');
      expect(result.frozen).toBe(true);
      const { spanId } = result.response as { spanId: string };
      expect(spanId).toMatch(/^[0-9a-f]{16}$/);
      spanIds.push(spanId);
      const atFreeze = frozen.get(result.requestId);
      expect(atFreeze, `onFreeze ran for invoke ${n}`).toBeDefined();
      expect(atFreeze!.processState).toBe('T');
      expect(atFreeze!.snapshot.spans.map((s) => s.spanId)).not.toContain(spanId);
    }
  });

  it('positive control: a flushing invoke delivers its span (and the queued ones) before the freeze', async () => {
    const result = await sim.invoke({ n: 6, flush: true });
    expect(result.status).toBe('success');
    expect(result.frozen).toBe(true);
    const { spanId } = result.response as { spanId: string };
    const atFreeze = frozen.get(result.requestId)!;
    const seen = atFreeze.snapshot.spans.filter((s) => s.name === 'control-invoke');
    expect(seen.map((s) => s.spanId)).toEqual(expect.arrayContaining([...spanIds, spanId]));
    expect(seen.find((s) => s.spanId === spanId)!.attributes['invoke.n']).toBe(6);
    expect(rx.requests().every((r) => r.outcome === 'accepted' && r.contentType === 'application/json')).toBe(true);
  });

  it('a span still queued when the environment is killed never arrives', async () => {
    const result = await sim.invoke({ n: 7 });
    const { spanId } = result.response as { spanId: string };
    expect(frozen.get(result.requestId)!.snapshot.spans.map((s) => s.spanId)).not.toContain(spanId);
    const shutdown = await sim.shutdown(); // no extension registered: SIGKILL, as Lambda does
    expect(shutdown.signal).toBe('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(rx.spans().map((s) => s.spanId)).not.toContain(spanId);
  });
});
