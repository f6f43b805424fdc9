// Lambda Managed Instances bench: 64 concurrent invokes through the real runtime client in its
// multi-concurrent mode (4 worker threads), under the project's LambdaSimulator, exporting to an
// in-process OtlpReceiver. Rows: the bare handler, this library (register preload on the main
// thread, default `background` flush), and the peer @opentelemetry/instrumentation-aws-lambda
// set up as its README says, with its preloads as CommonJS so they reach the worker threads.
// Reports added p50 / p99 latency and CPU per invoke against the bare handler (not asserted).
// Usage: npm run build && node bench/managed.mjs [--rounds N]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFunctions } from './lib/bundle.mjs';
import { percentile } from './lib/stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CONCURRENCY = 64;
const WORKERS = 4;
const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 30;
const WARMUP_ROUNDS = 3;
const CLK_TCK = 100; // Linux USER_HZ

const { LambdaSimulator, OtlpReceiver } = await import('otel-lambda-flush/testing');

/** CPU time (user + system) of a process and its threads, in ms. */
function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

async function rows() {
  const fns = (await buildFunctions(root)).functions;
  const peer = fns.peer;
  const out = [
    { id: 'bare', label: 'bare handler', taskRoot: join(root, 'bench/functions/bare'), env: {} },
    {
      id: 'lib',
      label: 'otel-lambda-flush (background, preload)',
      taskRoot: join(root, 'bench/functions/lib'),
      env: { NODE_OPTIONS: `--require ${join(root, 'dist/cjs/zero-code/register.cjs')}` },
    },
  ];
  if (peer?.taskRoot) {
    // The peer's ESM loader hook registered from a CommonJS preload, which Node also runs in
    // worker threads (an --import preload runs on the main thread only).
    const hook = join(peer.taskRoot, 'register-hook.cjs');
    writeFileSync(hook, "require('node:module').register('@opentelemetry/instrumentation/hook.mjs', require('node:url').pathToFileURL(__filename));\n");
    out.push({ id: 'peer', label: 'instrumentation-aws-lambda (peer)', taskRoot: peer.taskRoot, env: { NODE_OPTIONS: `--require ${hook} --require ${join(peer.taskRoot, 'otel-setup.js')}` } });
  } else {
    console.error(`peer unavailable: ${peer?.error ?? 'not built'}`);
  }
  return out;
}

async function main() {
  const rx = await OtlpReceiver.start();
  const list = await rows();
  const sims = new Map();
  for (const row of list) {
    sims.set(
      row.id,
      await LambdaSimulator.start({
        taskRoot: row.taskRoot,
        handler: 'index.handler',
        functionName: `managed-${row.id}`,
        managedInstances: { maxConcurrency: CONCURRENCY, workerCount: WORKERS },
        timeoutMs: 10_000,
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_SERVICE_NAME: `managed-${row.id}`, ...row.env },
      }),
    );
  }
  const round = (sim) => Promise.all(Array.from({ length: CONCURRENCY }, () => sim.invoke({})));
  for (let i = 0; i < WARMUP_ROUNDS; i++) for (const row of list) await round(sims.get(row.id));
  const res = Object.fromEntries(list.map((r) => [r.id, { latency: [], cpu: 0, failures: 0 }]));
  // Rows interleaved round by round, so machine noise hits them alike.
  for (let i = 0; i < ROUNDS; i++) {
    for (const row of list) {
      const sim = sims.get(row.id);
      const before = cpuMs(sim.pid);
      const results = await round(sim);
      res[row.id].cpu += cpuMs(sim.pid) - before;
      for (const r of results) {
        if (r.status === 'success') res[row.id].latency.push(r.latencyMs);
        else res[row.id].failures++;
      }
    }
  }
  for (const sim of sims.values()) await sim.shutdown().catch(() => undefined);
  await new Promise((r) => setTimeout(r, 300));
  const spansOf = (id) => rx.spans().filter((s) => s.resource['service.name'] === `managed-${id}`).length;

  const base = res.bare;
  const p = (xs, q) => percentile(xs, q);
  const invokes = ROUNDS * CONCURRENCY;
  const lines = [
    `Lambda Managed Instances: ${CONCURRENCY} concurrent invokes × ${ROUNDS} rounds, ${WORKERS} runtime worker threads, the runtime client on Node >= 22 (the simulator's choice).`,
    '',
    '| variant | p50 ms | p99 ms | added p50 ms | added p99 ms | CPU ms / invoke | added CPU ms / invoke | spans received | failures |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of list) {
    const r = res[row.id];
    const cpu = r.cpu / invokes;
    const f = (x) => x.toFixed(2);
    const added = (x) => (row.id === 'bare' ? '—' : f(x));
    lines.push(
      `| ${row.label} | ${f(p(r.latency, 50))} | ${f(p(r.latency, 99))} | ${added(p(r.latency, 50) - p(base.latency, 50))} | ${added(p(r.latency, 99) - p(base.latency, 99))} | ${f(cpu)} | ${added(cpu - base.cpu / invokes)} | ${spansOf(row.id)} | ${r.failures} |`,
    );
  }
  for (const sim of sims.values()) await sim.close().catch(() => undefined);
  await rx.close();
  console.log(lines.join('\n'));
}

await main();
