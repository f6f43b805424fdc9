// RSS of one warm environment over many healthy invokes, with and without the extension
// (issue: "with the extension, RSS after 12,000 healthy invokes within 20 % of sync mode's").
// Usage: npm run build && node bench/memory.mjs [invokes=12000] [modes=sync,after-response]
// The simulator gives node the flags Lambda's bootstrap sets (--expose-gc, V8 heap limits for
// the memory size), as on Lambda.
// Reads VmRSS while the process is frozen at fixed invoke counts, and the main thread's heap
// after a full GC at the end. Needs Node >= 22 (the simulator runs the real runtime client).
import { fileURLToPath } from 'node:url';
import { LambdaSimulator, OtlpReceiver } from '../dist/esm/testing/index.js';
import { readMemory } from './lib/proc.mjs';
import { MEMORY_MB } from './lib/variants.mjs';

const invokes = Number(process.argv[2] ?? 12_000);
const modes = (process.argv[3] ?? 'sync,after-response').split(',');
const marks = new Set([1, 1000, 2000, 5000, 8000, 12_000, invokes].filter((n) => n <= invokes));
const taskRoot = fileURLToPath(new URL('./functions/memory/', import.meta.url));

async function run(mode) {
  const rx = await OtlpReceiver.start();
  const rss = {};
  let count = 0;
  const sim = await LambdaSimulator.start({
    taskRoot,
    handler: 'index.handler',
    memorySizeMb: MEMORY_MB,
    timeoutMs: 10_000,
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: rx.url,
      OTEL_LAMBDA_FLUSH_MODE: mode,
      ...(mode === 'sync' ? {} : { OTEL_LAMBDA_EXTENSION: 'true' }),
    },
    onFreeze: ({ pid }) => {
      if (marks.has(count)) rss[count] = Math.round((readMemory(pid).vmRssKb ?? NaN) / 1024);
    },
  });
  const started = Date.now();
  let failed = 0;
  for (count = 1; count <= invokes; count++) {
    const r = await sim.invoke({ i: count });
    if (r.status !== 'success') failed++;
  }
  count = 0;
  const probe = await sim.invoke({ gc: true });
  const where = await sim.invoke({ mem: true });
  await sim.close();
  await rx.close();
  return {
    mode,
    invokes,
    failed,
    seconds: Math.round((Date.now() - started) / 1000),
    rssMiB: rss,
    mainHeapAfterGcMiB: Math.round((probe.response?.heapUsed ?? NaN) / 1048576),
    where: where.response,
  };
}

for (const mode of modes) console.log(JSON.stringify(await run(mode)));
