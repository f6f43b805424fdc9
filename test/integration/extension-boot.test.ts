// The extension's boot path under the real runtime client: the worker boots at import, the
// configuration goes out at wrap time and the registration wait runs in a microtask, and still
// the extension is registered before the runtime's first /next (the simulator refuses it after
// that) for handlers that set up telemetry with and without awaiting it.
// Fixtures import `otel-lambda-flush` from dist/: run `npm run build` first.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LambdaSimulator, OtlpReceiver } from '../../src/testing/index.js';

const taskRoot = fileURLToPath(new URL('../fixtures/extension-boot/', import.meta.url));
const RECEIVER_DELAY_MS = 50;
/** Lines that mean the extension did not register in time, or fell back. */
const FALLBACK = /RegistrationClosed|registration failed|did not complete within|could not start|flushing before the response/;

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function run(handler: string, extra: { closeRegistrationEarly?: boolean } = {}) {
  const rx = await OtlpReceiver.start();
  rx.setBehavior({ delayMs: RECEIVER_DELAY_MS });
  open.push(rx);
  const spansAtFreeze: number[] = [];
  const sim = await LambdaSimulator.start({
    taskRoot,
    handler,
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: rx.url,
      OTEL_LAMBDA_EXTENSION: 'true',
      OTEL_LAMBDA_FLUSH_MODE: 'after-response',
      OTEL_LAMBDA_TELEMETRY_PORT: '0',
    },
    onFreeze: ({ requestId }) => void spansAtFreeze.push(rx.spans({ attributes: { 'faas.invocation_id': requestId } }).length),
    ...extra,
  });
  open.push(sim);
  const first = await sim.invoke({});
  return { sim, rx, first, spansAtFreeze };
}

describe('extension boot: registered before the first /next, first invoke flushed after the response', () => {
  for (const [label, handler, format] of [
    ['ESM, await setupTelemetry() then withFlush()', 'esm-await.handler', 'esm'],
    ['CommonJS, setupTelemetry() not awaited then withFlush()', 'cjs-noawait.handler', 'cjs'],
  ] as const) {
    it(label, async () => {
      const { sim, rx, first, spansAtFreeze } = await run(handler);
      expect(sim.extensions).toMatchObject([{ name: 'otel-lambda-flush', events: ['INVOKE'], internal: true }]);
      expect(first.status).toBe('success');
      expect(first.response).toEqual({ ok: true, format });
      expect(first.coldStart).toBe(true);
      // After the response: the invoke stays billed while the flush waits on the slow receiver.
      expect(first.billedDurationMs).toBeGreaterThan(first.latencyMs);
      expect(first.billedDurationMs - first.latencyMs).toBeGreaterThanOrEqual(RECEIVER_DELAY_MS - 10);
      // ...and it was complete before the freeze.
      expect(spansAtFreeze).toEqual([1]);
      expect(rx.spans({ name: 'work' })).toHaveLength(1);
      expect(sim.logs.join('\n')).not.toMatch(FALLBACK);
    });
  }

  it('control: when registration is refused the same checks fail (warning logged, flush before the response)', async () => {
    const { sim, first, spansAtFreeze } = await run('esm-await.handler', { closeRegistrationEarly: true });
    expect(sim.extensions).toEqual([]);
    expect(first.status).toBe('success');
    expect(spansAtFreeze).toEqual([1]);
    expect(first.billedDurationMs - first.latencyMs).toBeLessThan(RECEIVER_DELAY_MS - 10);
    expect(sim.logs.join('\n')).toMatch(FALLBACK);
  });
});
