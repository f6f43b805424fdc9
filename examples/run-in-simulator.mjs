// Shared by the examples' run.mjs: runs one example handler in the local Lambda simulator (real
// runtime client, frozen after each invoke) against an OTLP receiver, invokes it with the given
// events and prints each result and the spans the receiver got. Needs `npm run build` first.
import { LambdaSimulator, OtlpReceiver } from 'otel-lambda-flush/testing';

/**
 * @param {{ taskRoot: string, functionName: string, events: unknown[] }} example
 */
export async function runInSimulator({ taskRoot, functionName, events }) {
  const rx = await OtlpReceiver.start();
  const sim = await LambdaSimulator.start({
    taskRoot,
    handler: 'index.handler',
    functionName,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' },
  });
  try {
    for (const event of events) {
      const r = await sim.invoke(event);
      console.log(`invoke ${r.requestId}: ${r.status} ${JSON.stringify(r.response ?? r.error)} (latency ${r.latencyMs.toFixed(1)} ms, cold ${r.coldStart}, frozen ${r.frozen})`);
    }
    console.log('\nspans at the receiver:');
    for (const s of rx.spans()) {
      const parent = s.parentSpanId ? ` parent=${s.parentSpanId}` : '';
      console.log(`  ${s.name} [${s.kind}] span=${s.spanId}${parent} status=${s.status.code} coldstart=${s.attributes['faas.coldstart'] ?? '-'}`);
    }
  } finally {
    await sim.close();
    await rx.close();
  }
}
