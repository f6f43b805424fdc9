// In-process per-invoke cost of the wrappers around a no-op handler, export stubbed out.
// Run by bench/run.mjs under Node 24 as a child: `node micro.mjs <sdk|api-only> <timeMs> [task]`;
// prints one JSON line. `sdk`: global tracer + meter providers with the default processors
// (BatchSpanProcessor, periodic metric reader) and no-op exporters, so each invoke's flush runs
// the SDK's real flush path without network. `api-only`: no SDK registered (API no-ops).
import { context, metrics, trace } from '@opentelemetry/api';
import { Bench } from 'tinybench';

// Optional third argument: measure only the tasks whose name contains it (the bench runs each
// wrapper in a process of its own, so one's garbage and JIT state do not weigh on another).
const [mode = 'sdk', timeArg = '1000', only = ''] = process.argv.slice(2);
const time = Math.max(50, Number(timeArg) || 1000);
process.env.AWS_EXECUTION_ENV ??= 'AWS_Lambda_nodejs24.x';

let seq = 0;
function lambdaContext() {
  seq++;
  const deadline = Date.now() + 3000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'bench-micro',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench-micro',
    memoryLimitInMB: '128',
    awsRequestId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    logGroupName: '/aws/lambda/bench-micro',
    logStreamName: '2026/11/22/[$LATEST]bench',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done() {}, fail() {}, succeed() {},
  };
}

const noop = async () => ({ ok: true });
const tasks = { 'bare call': noop };
const notes = [];

// Each wrapper gets providers of its own (same processors, no-op exporters): a flush then
// collects only the instruments that wrapper's own code registered.
let makeProviders;
if (mode === 'sdk') {
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  const { BasicTracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  const { MeterProvider, PeriodicExportingMetricReader } = await import('@opentelemetry/sdk-metrics');
  makeProviders = () => {
    const spanExporter = { export: (_spans, cb) => cb({ code: 0 }), shutdown: async () => {}, forceFlush: async () => {} };
    const metricExporter = { export: (_m, cb) => cb({ code: 0 }), shutdown: async () => {}, forceFlush: async () => {} };
    return {
      tracerProvider: new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(spanExporter)] }),
      meterProvider: new MeterProvider({
        readers: [new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 })],
      }),
    };
  };
  const globals = makeProviders();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(globals.tracerProvider);
  metrics.setGlobalMeterProvider(globals.meterProvider);
}

try {
  const { withFlush } = await import('otel-lambda-flush');
  tasks[mode === 'sdk' ? 'withFlush (sync, no-op exporters)' : 'withFlush (no SDK registered)'] = withFlush(noop);
} catch (error) {
  notes.push(`withFlush n/a: ${String(error?.message ?? error).split('\n')[0]}`);
}

if (mode === 'sdk') {
  // The peer's per-invoke wrapper is the function its module hook would install:
  // AwsLambdaInstrumentation#_getPatchHandler (internal, but plain JS), given the same providers.
  try {
    const { AwsLambdaInstrumentation } = await import('@opentelemetry/instrumentation-aws-lambda');
    const inst = new AwsLambdaInstrumentation({ enabled: false });
    const own = makeProviders();
    inst.setTracerProvider(own.tracerProvider);
    inst.setMeterProvider(own.meterProvider);
    if (typeof inst._getPatchHandler !== 'function') throw new Error('_getPatchHandler not found');
    tasks['peer wrapper (no-op exporters)'] = inst._getPatchHandler(noop, Date.now());
  } catch (error) {
    notes.push(`peer wrapper not measurable in-process: ${String(error?.message ?? error).split('\n')[0]}`);
  }
}

for (const name of Object.keys(tasks)) if (only && !name.includes(only)) delete tasks[name];
const results = {};
const bench = new Bench({ time, warmupTime: Math.min(300, time / 2) });
for (const [name, fn] of Object.entries(tasks)) bench.add(name, () => fn({}, lambdaContext()));
await bench.run();
for (const task of bench.tasks) {
  const r = task.result;
  results[task.name] = r?.latency
    ? { meanUs: r.latency.mean * 1000, p50Us: r.latency.p50 * 1000, p99Us: r.latency.p99 * 1000, samples: r.latency.samplesCount ?? undefined }
    : { error: String(r?.error ?? r?.state ?? 'no result') };
}
// CPU time (user + system) per invoke over a sequential loop: the figure the issue targets.
// A discarded warm-up loop first and a longer window: a major GC set off by tinybench's own
// sample arrays would otherwise weigh on a short window, and on the faster wrapper more (it
// collects more samples). No forced GC: V8 then shrinks the young generation and the loop
// pays for growing it again.
const loops = Math.max(2000, Math.round(time * 4));
for (const [name, fn] of Object.entries(tasks)) {
  if (!results[name] || results[name].error) continue;
  for (let i = 0; i < loops / 4; i++) await fn({}, lambdaContext());
  const start = process.cpuUsage();
  for (let i = 0; i < loops; i++) await fn({}, lambdaContext());
  const used = process.cpuUsage(start);
  results[name].cpuUs = (used.user + used.system) / loops;
}
process.stdout.write(`${JSON.stringify({ mode, node: process.version, results, notes })}\n`);
// A flush timer or deadline guard must not keep us alive; exit explicitly anyway.
process.exit(0);
