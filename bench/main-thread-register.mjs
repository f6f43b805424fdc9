// Cold start of an after-response function whose ES module awaits setupTelemetry(): the
// extension registered from the main thread (one local HTTP round trip) vs from the worker
// thread (the same module without the await, so the wrapper blocks until the worker
// registered), with sync mode (no extension) and a bare handler as baselines. Fresh processes
// under the real runtime client in the LambdaSimulator, rows interleaved, medians.
// Usage: npm run build && node bench/main-thread-register.mjs [runs=12] [package roots=.]
// (BENCH_ROWS=<regexp> runs only the matching rows)
// Package roots (comma-separated, each with its dist/ and node_modules) run the same functions
// against other builds of the library, e.g. an older commit's checkout, interleaved with this one.
// Unbundled (node_modules beside the handler) and bundled (esbuild, ESM: top-level await
// needs it) columns. Lambda's V8 heap flags for 128 MB, as the bench's other rows.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './lib/stats.mjs';
import { lambdaHeapFlags, MEMORY_MB } from './lib/variants.mjs';

const runs = Number(process.argv[2] ?? 12);
const here = fileURLToPath(new URL('..', import.meta.url));
const pkgs = (process.argv[3] ?? here).split(',').map((p) => resolve(p));
const { LambdaSimulator, OtlpReceiver } = await import(join(here, 'dist/esm/testing/index.js'));
const out = join(here, 'bench', '.build', 'main-thread-register');

const PROBE = `const probe = () => globalThis[Symbol.for('otel-lambda-flush.state.v1')]?.extension?.bridge?.thread ?? null;`;
const SOURCES = {
  bare: `export const handler = async () => ({ ok: true, thread: null });\n`,
  await: `import { setupTelemetry, withFlush } from 'otel-lambda-flush';\n${PROBE}\nawait setupTelemetry();\nexport const handler = withFlush(async () => ({ ok: true, thread: probe() }));\n`,
  noawait: `import { setupTelemetry, withFlush } from 'otel-lambda-flush';\n${PROBE}\nsetupTelemetry();\nexport const handler = withFlush(async () => ({ ok: true, thread: probe() }));\n`,
  cjs: `const { setupTelemetry, withFlush } = require('otel-lambda-flush');\n${PROBE}\nsetupTelemetry();\nexports.handler = withFlush(async () => ({ ok: true, thread: probe() }));\n`,
};

/** Task roots per package: `<fn>-unbundled` (node_modules beside it) and `<fn>-bundled` (ESM; CommonJS for cjs). */
async function roots(pkg, tag) {
  const result = {};
  for (const [name, src] of Object.entries(SOURCES)) {
    const cjs = name === 'cjs';
    const dir = join(out, tag, `${name}-unbundled`);
    mkdirSync(join(dir, 'node_modules'), { recursive: true });
    writeFileSync(join(dir, cjs ? 'index.cjs' : 'index.mjs'), src);
    writeFileSync(join(dir, 'package.json'), `{"type":"${cjs ? 'commonjs' : 'module'}"}\n`);
    for (const dep of readdirSync(join(pkg, 'node_modules'))) if (!dep.startsWith('.') && dep !== 'otel-lambda-flush') symlinkSync(join(pkg, 'node_modules', dep), join(dir, 'node_modules', dep));
    symlinkSync(pkg, join(dir, 'node_modules', 'otel-lambda-flush'));
    result[`${name}-unbundled`] = dir;
    const bundled = join(out, tag, `${name}-bundled`);
    mkdirSync(bundled, { recursive: true });
    await build({
      entryPoints: [join(dir, cjs ? 'index.cjs' : 'index.mjs')], bundle: true, minify: true, platform: 'node', format: cjs ? 'cjs' : 'esm', target: 'node22',
      outfile: join(bundled, cjs ? 'index.cjs' : 'index.mjs'), logLevel: 'silent',
      ...(cjs ? {} : { banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } }),
    });
    result[`${name}-bundled`] = bundled;
  }
  return result;
}

rmSync(out, { recursive: true, force: true });
const AR = { OTEL_LAMBDA_FLUSH_MODE: 'after-response', OTEL_LAMBDA_EXTENSION: 'true' };
const rows = [];
for (const [k, pkg] of pkgs.entries()) {
  const tag = pkgs.length > 1 ? `p${k}` : 'p0';
  const taskRoots = await roots(pkg, tag);
  const at = (fn) => taskRoots[fn];
  for (const kind of ['unbundled', 'bundled']) {
    rows.push(
      { id: `${tag} bare-${kind}`, bare: `${tag} bare-${kind}`, root: at(`bare-${kind}`), env: {} },
      { id: `${tag} sync-await-${kind}`, bare: `${tag} bare-${kind}`, root: at(`await-${kind}`), env: { OTEL_LAMBDA_FLUSH_MODE: 'sync' } },
      { id: `${tag} after-response-await-${kind}`, bare: `${tag} bare-${kind}`, root: at(`await-${kind}`), env: AR },
      { id: `${tag} after-response-noawait-${kind}`, bare: `${tag} bare-${kind}`, root: at(`noawait-${kind}`), env: AR },
      { id: `${tag} after-response-cjs-${kind}`, bare: `${tag} bare-${kind}`, root: at(`cjs-${kind}`), env: AR },
    );
  }
}
/** CPU time (user + system, ms, every thread including ended ones) the process used so far. */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

// BENCH_ROWS: a regular expression picking rows by id (e.g. `cjs`); the bare rows always run.
if (process.env.BENCH_ROWS) rows.splice(0, rows.length, ...rows.filter((r) => r.id === r.bare || new RegExp(process.env.BENCH_ROWS).test(r.id)));

const rx = await OtlpReceiver.start();
const res = Object.fromEntries(rows.map((r) => [r.id, { initMs: [], firstInvokeMs: [], cpuMs: [], threads: new Set(), registered: 0, failures: 0 }]));
for (let i = 0; i < runs; i++) {
  for (const row of rows) {
    const r = res[row.id];
    let sim;
    try {
      sim = await LambdaSimulator.start({
        taskRoot: row.root, handler: 'index.handler', memorySizeMb: MEMORY_MB, enforceMemory: false, timeoutMs: 10_000,
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_SERVICE_NAME: `bench-${row.id}`, NODE_OPTIONS: lambdaHeapFlags(MEMORY_MB), ...row.env },
        // CPU of init + first invoke (+ its after-response flush), read while frozen: what a
        // function with a fraction of a vCPU pays, whatever this machine runs in parallel.
        onFreeze: ({ pid }) => void (r.cpuMs.length < r.initMs.length + 1 && r.cpuMs.push(cpuMs(pid))),
      });
      const inv = await sim.invoke({});
      if (inv.status !== 'success') r.failures++;
      r.initMs.push(sim.inits[0].initDurationMs);
      r.firstInvokeMs.push(inv.latencyMs);
      r.threads.add(String(inv.response?.thread));
      r.registered += sim.extensions.length > 0 ? 1 : 0;
    } catch (e) {
      r.failures++;
      console.error(row.id, String(e?.message ?? e).split('\n')[0]);
    } finally {
      await sim?.close().catch(() => {});
    }
  }
  process.stderr.write(`round ${i + 1}/${runs}\r`);
}
await rx.close();
const fmt = (v) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');
console.log(`\n${pkgs.map((p, k) => `p${k} = ${p}`).join('; ')}; ${runs} cold starts per row, all rows interleaved; medians in ms`);
console.log('| row | init | first invoke | init + first invoke | added init vs bare | CPU to first freeze | extension thread | registered | failures |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const row of rows) {
  const r = res[row.id];
  const bare = res[row.bare];
  const init = median(r.initMs);
  const first = median(r.firstInvokeMs);
  console.log(`| ${row.id} | ${fmt(init)} | ${fmt(first)} | ${fmt(median(r.initMs.map((x, j) => x + r.firstInvokeMs[j])))} | ${fmt(init - median(bare.initMs))} | ${fmt(median(r.cpuMs))} | ${[...r.threads].join(',')} | ${r.registered}/${r.initMs.length} | ${r.failures} |`);
}
