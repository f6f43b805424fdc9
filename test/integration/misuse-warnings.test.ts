// Silent misuse made loud, under the real runtime client (issue 12): the warning reaches the
// function's log (the console by default), once per process, and the invoke is unharmed.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LambdaSimulator, OtlpReceiver } from '../../src/testing/index.js';

const taskRoot = fileURLToPath(new URL('../fixtures/misuse/', import.meta.url));
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function start(handler: string): Promise<{ rx: OtlpReceiver; sim: LambdaSimulator }> {
  const rx = await OtlpReceiver.start();
  const sim = await LambdaSimulator.start({ taskRoot, handler, functionName: 'misuse-fn', env: { OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' } });
  cleanup = async () => {
    await sim.close();
    await rx.close();
  };
  return { rx, sim };
}

const count = (logs: readonly string[], text: string) => logs.filter((l) => l.includes(text)).length;

describe('misuse warnings in the function log', () => {
  it('no provider registered: one warning at the first invoke, invokes unharmed', async () => {
    const { sim } = await start('no-setup.handler');
    for (let n = 0; n < 3; n++) expect((await sim.invoke({ n })).response).toEqual({ ok: true, n });
    expect(count(sim.logs, 'no tracer, meter or logger provider is registered at the first invoke')).toBe(1);
  });

  it('awslambda.streamifyResponse(withFlush(h)): one warning; the stream arrives and the span is a real invocation span', async () => {
    const { rx, sim } = await start('streamify-outside.handler');
    for (let i = 0; i < 2; i++) {
      const r = await sim.invoke({});
      expect(r.status).toBe('success');
      expect(Buffer.from(r.stream?.raw ?? new Uint8Array()).toString()).toBe('a;b');
      const spans = rx.spans({ attributes: { 'faas.invocation_id': r.requestId } });
      expect(spans.map((s) => s.name)).toEqual(['misuse-fn']);
    }
    expect(count(sim.logs, 'streamifyResponse(withFlush(handler)) is not supported')).toBe(1);
  });
});
