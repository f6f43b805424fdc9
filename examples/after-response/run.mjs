// Runs examples/after-response/index.mjs in the local Lambda simulator (real runtime client,
// freezes after each invoke) against an OTLP receiver that answers after 100 ms, and shows that
// the caller does not wait for it while the billed duration does. Needs `npm run build` first.
import { fileURLToPath } from 'node:url';
import { LambdaSimulator, OtlpReceiver } from 'otel-lambda-flush/testing';

const rx = await OtlpReceiver.start();
rx.setBehavior({ delayMs: 100 }); // a slow collector
const sim = await LambdaSimulator.start({
  taskRoot: fileURLToPath(new URL('.', import.meta.url)),
  handler: 'index.handler',
  functionName: 'example-after-response',
  env: {
    OTEL_EXPORTER_OTLP_ENDPOINT: rx.url,
    OTEL_LAMBDA_EXTENSION: 'true',
    OTEL_LAMBDA_FLUSH_MODE: 'after-response',
    // Outside Lambda any free port will do (inside, the default 4243 is fine).
    OTEL_LAMBDA_TELEMETRY_PORT: '0',
  },
});
try {
  console.log(`extension registered: ${JSON.stringify(sim.extensions.map((e) => ({ name: e.name, events: e.events })))}`);
  const events = [{ items: [{ price: 3, quantity: 2 }] }, { items: [{ price: 10, quantity: 1 }, { price: 1, quantity: 5 }] }, { items: [] }];
  for (const event of events) {
    const r = await sim.invoke(event);
    const spans = rx.spans({ attributes: { 'faas.invocation_id': r.requestId } }).length;
    console.log(
      `invoke ${r.requestId}: ${JSON.stringify(r.response)} — caller waited ${r.latencyMs.toFixed(1)} ms, ` +
        `billed ${r.billedDurationMs} ms, invocation span at the receiver before the freeze: ${spans === 1}`,
    );
  }
  const s = await sim.shutdown(); // SIGTERM: the last platform report and final flush
  console.log(`shutdown: ${s.signal}, exited within the grace period: ${s.exitedWithinGrace}`);
  console.log('\nspans at the receiver:');
  for (const sp of rx.spans()) console.log(`  ${sp.name} span=${sp.spanId}${sp.parentSpanId ? ` parent=${sp.parentSpanId}` : ''}`);
  console.log('\nplatform metrics at the receiver (Telemetry API):');
  const totals = new Map();
  for (const p of rx.metrics(/^(faas|aws\.lambda)\./)) {
    const v = p.type === 'histogram' ? `${p.count} values, sum ${p.sum?.toFixed(3)}` : p.value;
    totals.set(p.name, [...(totals.get(p.name) ?? []), v]);
  }
  for (const [name, values] of totals) console.log(`  ${name} (${values.length} points): ${values.join(' | ')}`);
} finally {
  await sim.close();
  await rx.close();
}
