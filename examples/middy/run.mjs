// Runs examples/middy/index.mjs in the local Lambda simulator (real runtime client, freezes
// after each invoke) and prints the spans the OTLP receiver got. Needs `npm run build` first.
import { fileURLToPath } from 'node:url';
import { LambdaSimulator, OtlpReceiver } from 'otel-lambda-flush/testing';

const rx = await OtlpReceiver.start();
const sim = await LambdaSimulator.start({
  taskRoot: fileURLToPath(new URL('.', import.meta.url)),
  handler: 'index.handler',
  functionName: 'example-middy',
  env: { OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' },
});
try {
  for (const event of [{ name: 'Ada' }, { warmup: true }, { name: 'Grace' }]) {
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
