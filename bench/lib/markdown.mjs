// bench/results/latest.md: the table the README quotes, with date, machine, target checks,
// the cold-start profile summary and how each row was set up.
import { coldStartAnalysis } from './analysis.mjs';
import { firstCallerTable, fmtNum, issue11Targets, markdownTable, targets } from './report.mjs';

const mark = (ok) => (ok === undefined ? '–' : ok ? '✅' : '❌');

function extras(results) {
  const out = [];
  const byo = results.byo;
  if (byo) {
    out.push(`Bring-your-own SDK (imports only \`withFlush\`, registers its own providers): ${fmtNum(byo.bytes / 1024, 'KB')} minified, ${fmtNum(byo.gzipBytes / 1024, 'KB')} gzipped; the library's share ${fmtNum((byo.libraryBytes ?? NaN) / 1024, 'KB')}, the rest @opentelemetry/api. No SDK package is bundled.` +
      (byo.parts?.length ? ` The library's share by part of src/ (the same function bundled from source): ${byo.parts.map((p) => `${p.name} ${fmtNum(p.bytes / 1024, 'KB')}`).join(', ')}.` : ''));
  }
  const a = results.bundledAlone;
  if (a) out.push(a.ok
    ? 'The bundled library function (setupTelemetry + withFlush) runs from its one file with no node_modules beside it.'
    : `The bundled library function does NOT run from its one file alone (no node_modules beside it): \`${a.error}\`. setupTelemetry() loads the SDK with a require() made at run time, which esbuild cannot follow, so the bundle holds the exporters but not the SDK; in this bench it finds the SDK in the repo's node_modules, so the "bundled" columns load the SDK unbundled.`);
  const l = results.layer;
  if (l) out.push(l.error ? `Layer (\`npm run layer\`): n/a (${l.error})` : `Layer zip (\`npm run layer\`: wrapper + library with its dependencies bundled, ESM + CJS, + @opentelemetry/api): ${fmtNum(l.zipBytes / 1024, 'KB')}.`);
  const rc = results.registerCost;
  if (rc) out.push(`Registering the extension, transport only (fresh Node ${results.machine.lambdaNode} processes, median of ${rc.runs}): booting a worker thread until its first message ${fmtNum(rc.workerMs, 'ms')}; ` +
    `one HTTP POST round trip from the main thread to a local server, loading node:http included, ${fmtNum(rc.httpMs, 'ms')}. The main-thread way fits an ES module that awaits registration at top level; the worker is still needed for CommonJS (registration must finish before module loading returns) and for the Telemetry API listener and INVOKE gate it serves.`);
  const fp = results.firstCallerProfile;
  if (fp?.groups) out.push(`Where the first caller's time goes (unbundled library function, module load ${fmtNum(fp.loadMs, 'ms')} + first invoke ${fmtNum(fp.firstInvokeMs, 'ms')} exporting to a local receiver, median of ${fp.runs}; ` +
    `\`--cpu-prof\` self time averaged, by package): ${fp.groups.slice(0, 10).map((g) => `${g.name} ${fmtNum(g.ms, 'ms')}`).join(', ')}. ` +
    (fp.undiciLoaded ? 'undici was loaded: the OTLP exporter loads node:http with `import(\'http\')` (otlp-exporter-base), which makes Node 24 build node:http\'s ES module facade, and reading its exports loads undici.' : 'undici (fetch) was not loaded.'));
  else if (fp?.unavailable) out.push(`First-caller profile: n/a (${fp.unavailable}).`);
  const mi = results.managed;
  if (mi?.table) out.push('Managed Instances: see the table below (bench/managed.mjs).');
  else if (mi) out.push(mi.error ? `Managed Instances (bench/managed.mjs): n/a (${mi.error})` : `Managed Instances (bench/managed.mjs): \`${JSON.stringify(mi).slice(0, 400)}\``);
  else out.push('Managed Instances: bench/managed.mjs not present in this tree (run.mjs runs it when it is).');
  return out;
}

/** The Managed Instances table of bench/managed.mjs, as its own section. */
function managedSection(results) {
  const table = results.managed?.table;
  if (!table) return [];
  const lines = table.split('\n');
  return ['## Lambda Managed Instances', '', lines[0], '', ...lines.slice(1).filter((l) => l.startsWith('|')), ''];
}

export function markdown(results) {
  const m = results.machine;
  const out = [];
  out.push('# Benchmark: otel-lambda-flush vs @opentelemetry/instrumentation-aws-lambda', '');
  out.push(`Run ${results.date} on ${m.nproc} cores (${m.cpuModel}), ${m.memTotalMb} MB RAM; bench runner Node ${m.runnerNode}, ` +
    `functions on Node ${m.lambdaNode} under aws-lambda-ric ${m.ric} in the project's LambdaSimulator (SIGSTOP freeze after each invoke), ` +
    `exporting OTLP/HTTP to the project's OtlpReceiver. Whole run: ${fmtNum(results.durationS, 's')}${results.config.quick ? ' (BENCH_QUICK: smoke-run counts, figures are rough)' : ''}.`, '');
  out.push('Cells: value (ratio to the bare handler, ratio to the peer) from the same run. The machine is shared and noisy; compare columns, not runs.', '');
  out.push(markdownTable(results), '');
  out.push('## The first caller of a cold environment: init + first invoke', '');
  out.push(`Spawn → first \`/next\`, then the first invoke's latency, per cold start (median of ${results.config.coldRuns}, columns interleaved). ` +
    'Bundled = the README\'s esbuild command (`--bundle --minify --format=esm --main-fields=module,main` + the createRequire banner; the library function awaits `setupTelemetry()` at top level); CommonJS bundle = the README\'s CommonJS command (`--format=cjs --main-fields=module,main`; no top-level await, so the extension registers from its worker thread), against the bare handler bundled the same way; unbundled = the same handler as `index.mjs` with `node_modules` beside it (as layers and many zips ship); ' +
    'zero-code = the bare handler with `AWS_LAMBDA_EXEC_WRAPPER=bin/otel-lambda-flush-wrapper` (the library from node_modules, as from the layer).', '');
  out.push(firstCallerTable(results), '');
  out.push('## Issue 11 goals (this run)', '');
  for (const t of issue11Targets(results)) out.push(`- ${mark(t.ok)} ${t.name}: ${t.detail}`);
  out.push('');
  out.push(...extras(results).map((x) => `- ${x}`), '');
  out.push(...managedSection(results));
  out.push('## Issue 6 targets (this run)', '');
  for (const t of targets(results)) out.push(`- ${mark(t.ok)} ${t.name}: ${t.detail}`);
  out.push('');

  out.push('## Where the library\'s cold start goes', '');
  const imp = results.imports;
  if (imp?.medianMs) {
    out.push(`Module load (including setupTelemetry() to completion) of the minified bundles in fresh Node ${m.lambdaNode} processes, median of ${imp.runs}, no runtime client:`, '');
    out.push(...coldStartAnalysis(results).map((a) => `- ${a}`), '');
  }
  const p = results.profile;
  if (p && !p.unavailable) {
    out.push(`CPU profile of that module load (\`--cpu-prof\`, 100 µs sampling, unminified bundle so time maps to packages; ` +
      `${p.runs} run(s) averaged; ${fmtNum(p.sampledMs, 'ms')} sampled on the main thread${p.windowed ? ' inside the require() window' : ''}; ` +
      `first profile saved as \`${p.profileFile}\`, open it in Chrome DevTools):`, '');
    out.push('| self time by package | ms | share |', '|---|---:|---:|');
    for (const g of p.groups.slice(0, 10)) out.push(`| ${g.name} | ${fmtNum(g.ms)} | ${g.pct}% |`);
    out.push('', '| top self-time functions | module | ms |', '|---|---|---:|');
    for (const f of p.functions.slice(0, 10)) out.push(`| \`${f.name}\` | ${f.module} | ${fmtNum(f.ms)} |`);
    out.push('');
  } else if (p?.unavailable) {
    out.push(`CPU profile: n/a (${p.unavailable}).`, '');
  }

  out.push('## How each column was set up', '');
  out.push('- **bare handler**: `export const handler = async () => ({ ok: true })`, no telemetry (every column runs this handler, plus the memory-probe branch described below; the probe invokes are counted in "spans / invokes").');
  out.push('- **otel-lambda-flush sync / after-response**: `await setupTelemetry()` (traces + metrics + OTLP/HTTP from `OTEL_*` env) and `withFlush(handler)` around the same handler, bundled as the README says (ES module, `--main-fields=module,main`); one bundle, mode from `OTEL_LAMBDA_FLUSH_MODE` (`after-response` also sets `OTEL_LAMBDA_EXTENSION=true`, which starts the in-process extension).');
  out.push('- **peer**: `@opentelemetry/instrumentation-aws-lambda` ' + (results.peerVersion ?? '') + ' as its README says for Node 24: a setup file preloaded with `NODE_OPTIONS=--require otel-setup.js` ' +
    '(tracer provider with BatchSpanProcessor + OTLPTraceExporter registered globally with the AsyncLocalStorage context manager and W3C propagators, MeterProvider with a periodic OTLP/HTTP metrics reader, ' +
    '`registerInstrumentations({ instrumentations: [new AwsLambdaInstrumentation()] })`), plus the ESM loader hook via `--import register-hook.mjs` (`module.register(\'@opentelemetry/instrumentation/hook.mjs\')`, README option 2), ' +
    'because the runtime client loads the handler with `await import()` and a `require` hook alone never sees it (0 spans without the hook, checked). ' +
    '`import-in-the-middle` is kept out of the setup bundle: bundled, the setup and the hook each get their own copy and the handler is never patched (again 0 spans). ' +
    'The handler is bundled like every column (ES module, `--main-fields=module,main`), the setup file as CommonJS (it is `--require`d) with the same main fields. ' +
    'Its bundle size counts the handler, the setup bundle, and the loader hook + import-in-the-middle bundled with esbuild for measuring only.');
  out.push('- Memory size: the functions get Lambda\'s 128 MB heap flags; the simulator\'s memory enforcement is off (`enforceMemory: false`) so that a column peaking near 128 MB is measured, not killed — the peak RSS row shows how near it is.');
  out.push('- Cold start = spawn → the runtime client\'s first `/next` (`sim.inits[0].initDurationMs`), fresh process each time, columns interleaved. Latency = event handed over → response posted; billed = handed over → invoke ended (runtime back on `/next` and every INVOKE extension back on `/event/next`).');
  out.push('- Per-invoke CPU: tinybench + `process.cpuUsage()` over a sequential loop, each wrapper in Node 24 processes of its own (repeated, interleaved, median), global tracer and meter providers with BatchSpanProcessor / periodic reader and no-op exporters; the peer\'s wrapper is its `_getPatchHandler()` result (what its hook installs) with providers of its own, built the same way (each wrapper flushes only its own instruments). after-response has no separate in-process figure: without the extension it is the sync wrapper.');
  const api = results.micro?.['api-only']?.results?.['withFlush (no SDK registered)'];
  if (api) out.push(`- With no SDK registered at all (API no-ops), withFlush costs ${fmtNum(api.cpuUs, 'µs')} CPU per invoke: the wrapper's own share, without the SDK's span and flush work.`);
  out.push('- Memory: `/proc/<pid>/status` (VmHWM, VmRSS) read while the process is frozen (simulator `onFreeze`); the simulator starts node with the flags Lambda\'s Node.js bootstrap passes for 128 MB (`--expose-gc --max-http-header-size 81920 --max-semi-space-size=6 --max-old-space-size=116`), cold starts included, and at each mark an extra invoke `{"gc":true}` makes the handler force a full GC and return `process.memoryUsage()` (bench/functions/probe.mjs): heap after GC tells a leak from garbage not yet collected.', '');

  if (results.examples && Object.keys(results.examples).length) {
    out.push('## Example functions (the README\'s esbuild command: ES module, --main-fields=module,main, minified)', '');
    for (const [name, s] of Object.entries(results.examples)) {
      out.push(`- examples/${name}: ${s.error ? `n/a (${s.error})` : `${fmtNum(s.bytes / 1024, 'KB')} minified, ${fmtNum(s.gzipBytes / 1024, 'KB')} gzipped (${s.format})`}`);
    }
    out.push('');
  }
  const notes = results.rows.flatMap((r) => (r.notes ?? []).map((n) => `${r.id}: ${n}`)).concat(results.notes ?? []);
  if (notes.length) out.push('## Notes from this run', '', ...notes.map((n) => `- ${n}`), '');
  return out.join('\n');
}
