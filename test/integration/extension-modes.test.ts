// periodic / adaptive under the real runtime client: a high-rate run exports less often than
// once per invoke, the telemetry held across freezes goes out at SIGTERM, nothing is lost.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LambdaSimulator, OtlpReceiver } from '../../src/testing/index.js';

const taskRoot = fileURLToPath(new URL('../fixtures/extension/', import.meta.url));

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function run(mode: 'adaptive' | 'periodic' | 'sync', invokes: number) {
  const rx = await OtlpReceiver.start();
  open.push(rx);
  const sim = await LambdaSimulator.start({
    taskRoot,
    handler: 'instrumented.handler',
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: rx.url,
      OTEL_LAMBDA_EXTENSION: 'true',
      OTEL_LAMBDA_FLUSH_MODE: mode,
      OTEL_LAMBDA_TELEMETRY_PORT: '0',
      // Long enough that the run never reaches it, so only the rule decides.
      OTEL_LAMBDA_FLUSH_INTERVAL_MS: '60000',
      OTEL_BSP_SCHEDULE_DELAY: '60000',
      OTEL_METRIC_EXPORT_INTERVAL: '60000',
    },
  });
  open.push(sim);
  const ids: string[] = [];
  for (let i = 0; i < invokes; i++) {
    const r = await sim.invoke({});
    expect(r.status).toBe('success');
    ids.push(r.requestId);
  }
  const traceRequests = rx.requests().filter((r) => r.path === '/v1/traces').length;
  const beforeShutdown = rx.spans({ name: 'work' }).length;
  const extensions = sim.extensions;
  const s = await sim.shutdown();
  return { rx, ids, traceRequests, beforeShutdown, shutdown: s, extensions };
}

describe('extension: periodic and adaptive modes', () => {
  it('adaptive: per-invoke at first, then far fewer exports than invokes; SIGTERM exports the rest', async () => {
    const { rx, ids, traceRequests, beforeShutdown, shutdown } = await run('adaptive', 100);
    console.log(`adaptive: ${traceRequests} trace exports for ${ids.length} invokes; ${beforeShutdown} of ${ids.length} work spans out before SIGTERM`);
    // The first invokes (fewer than minSamples gaps) flush one by one.
    expect(traceRequests).toBeGreaterThanOrEqual(8);
    expect(traceRequests).toBeLessThan(ids.length / 4);
    expect(beforeShutdown).toBeLessThan(ids.length);
    expect(shutdown.signal).toBe('SIGTERM');
    expect(shutdown.exitedWithinGrace).toBe(true);
    for (const id of ids) expect(rx.spans({ attributes: { 'faas.invocation_id': id } }), id).toHaveLength(1);
    expect(rx.spans({ name: 'work' })).toHaveLength(ids.length);
  });

  it('periodic: flushes the first invoke, holds the others, loses nothing at SIGTERM', async () => {
    const { rx, ids, traceRequests, beforeShutdown } = await run('periodic', 30);
    expect(traceRequests).toBe(1);
    expect(beforeShutdown).toBe(1);
    expect(rx.spans({ name: 'work' })).toHaveLength(ids.length);
    // Metrics held with the spans are exported too (the last report included).
    const invocations = rx.metrics('faas.invocations').reduce((a, p) => a + (p.value ?? 0), 0);
    expect(invocations).toBe(ids.length);
  });

  it('sync with the extension: registers for no event (SIGTERM and Telemetry API only), flushes every invoke', async () => {
    const { rx, ids, traceRequests, beforeShutdown, shutdown, extensions } = await run('sync', 5);
    expect(extensions).toMatchObject([{ events: [] }]);
    expect(traceRequests).toBe(5);
    expect(beforeShutdown).toBe(5);
    expect(shutdown.signal).toBe('SIGTERM');
    const invocations = rx.metrics('faas.invocations').reduce((a, p) => a + (p.value ?? 0), 0);
    expect(invocations).toBe(ids.length);
  });
});
