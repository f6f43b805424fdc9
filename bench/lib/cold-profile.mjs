// Where the library's cold start goes: import time of the bundled functions in fresh Node 24
// processes (bare / library import only / library + setupTelemetry()), and a --cpu-prof
// profile of the library function's module load, summarised per package and function.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { lastJsonLine, runChild } from './child.mjs';
import { median } from './stats.mjs';
import { summarizeProfile } from './profile-summary.mjs';
import { lambdaHeapFlags, MEMORY_MB } from './variants.mjs';

const HEAP = lambdaHeapFlags(MEMORY_MB).split(' ');

/** What the runtime client would have in the environment (setupTelemetry reads it). */
function lambdaEnv(receiverUrl) {
  return {
    PATH: process.env.PATH ?? '',
    AWS_LAMBDA_FUNCTION_NAME: 'bench-profile',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
    AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/bench-profile',
    AWS_LAMBDA_LOG_STREAM_NAME: '2026/11/22/[$LATEST]profile',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl,
    TZ: ':UTC',
  };
}

/**
 * Median module-load time (ms) of each case, `runs` fresh processes each, interleaved:
 * bare, the library's import alone, the library + setupTelemetry() with all signals, without
 * logs, traces only, and the peer's setup file alone (without its loader hook).
 */
export async function measureImports({ node, root, functions, runs, receiverUrl }) {
  const entry = join(root, 'bench', 'profile-entry.cjs');
  const file = (fn, name = functions[fn]?.files?.[0]) => (functions[fn]?.taskRoot && name ? join(functions[fn].taskRoot, name) : undefined);
  const cases = [
    { key: 'bare', file: file('bare') },
    { key: 'api-only', file: file('api-only') },
    { key: 'lib-import-only', file: file('lib-import-only') },
    { key: 'lib', file: file('lib') },
    { key: 'lib-no-logs', file: file('lib'), env: { OTEL_LOGS_EXPORTER: 'none' } },
    { key: 'lib-cjs', file: file('lib-cjs') },
    { key: 'lib-default', file: file('lib-default') },
    { key: 'lib-traces-only', file: file('lib'), env: { OTEL_LOGS_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none' } },
    { key: 'peer-setup', file: file('peer', 'otel-setup.js') },
  ].filter((c) => c.file);
  const samples = Object.fromEntries(cases.map((c) => [c.key, []]));
  const errors = {};
  for (let i = 0; i < runs; i++) {
    for (const c of cases) {
      const r = await runChild(node, [...HEAP, entry, c.file], { env: { ...lambdaEnv(receiverUrl), ...c.env }, cwd: dirname(c.file), timeoutMs: 30_000 });
      const out = lastJsonLine(r.stdout);
      if (out && Number.isFinite(out.importMs)) samples[c.key].push(out.importMs);
      else errors[c.key] = (r.stderr || `exit ${r.code}`).trim().split('\n').slice(-3).join(' | ').slice(0, 300);
    }
  }
  return {
    runs,
    medianMs: Object.fromEntries(cases.map((c) => [c.key, median(samples[c.key])])),
    samples,
    errors,
  };
}

/**
 * Profiles the unminified library function's module load `runs` times; keeps the first
 * profile as bench/results/lib-cold-start.cpuprofile and summarises all runs together.
 */
export async function profileColdStart({ node, root, functions, runs, receiverUrl }) {
  const fn = functions['lib-profile'];
  if (!fn?.taskRoot) return { unavailable: 'lib-profile bundle missing' };
  const file = join(fn.taskRoot, 'index.js');
  const bundleText = readFileSync(file, 'utf8');
  const resultsDir = join(root, 'bench', 'results');
  const tmpDir = join(root, 'bench', '.build', 'profiles');
  rmSync(tmpDir, { recursive: true, force: true });
  mkdirSync(tmpDir, { recursive: true });
  mkdirSync(resultsDir, { recursive: true });
  const summaries = [];
  const importMs = [];
  let saved;
  for (let i = 0; i < runs; i++) {
    const name = `run-${i}.cpuprofile`;
    const r = await runChild(
      node,
      [...HEAP, '--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', tmpDir, '--cpu-prof-name', name, join(root, 'bench', 'profile-entry.cjs'), file],
      { env: lambdaEnv(receiverUrl), cwd: fn.taskRoot, timeoutMs: 60_000 },
    );
    const out = lastJsonLine(r.stdout);
    const path = join(tmpDir, name);
    if (!out || !existsSync(path)) return { unavailable: `profiled run failed: ${(r.stderr || `exit ${r.code}`).trim().split('\n').pop()}` };
    importMs.push(out.importMs);
    const profile = JSON.parse(readFileSync(path, 'utf8'));
    summaries.push(summarizeProfile(profile, { bundleText, bundleUrlSuffix: '/lib-profile/index.js', windowUs: out.windowUs, top: 1000 }));
    if (i === 0) {
      saved = join(resultsDir, 'lib-cold-start.cpuprofile');
      renameSync(path, saved);
    }
  }
  // Average the runs' groups and functions.
  const avg = (key, idOf) => {
    const acc = new Map();
    for (const s of summaries) for (const item of s[key]) {
      const id = idOf(item);
      const prev = acc.get(id) ?? { ...item, ms: 0 };
      prev.ms += item.ms / summaries.length;
      acc.set(id, prev);
    }
    return [...acc.values()].sort((a, b) => b.ms - a.ms).slice(0, 12).map((x) => ({ ...x, ms: Math.round(x.ms * 100) / 100 }));
  };
  const totalMs = summaries.reduce((s, x) => s + x.totalMs, 0) / summaries.length;
  const groups = avg('groups', (g) => g.name).map((g) => ({ name: g.name, ms: g.ms, pct: totalMs > 0 ? Math.round((1000 * g.ms) / totalMs) / 10 : 0 }));
  return {
    runs,
    profileFile: saved ? 'bench/results/lib-cold-start.cpuprofile' : undefined,
    importMsUnderProfiler: median(importMs),
    sampledMs: Math.round(totalMs * 100) / 100,
    windowed: summaries.every((s) => s.windowed),
    groups,
    functions: avg('functions', (f) => `${f.name}\u0000${f.module}`),
  };
}
