// Where the first caller's time goes, unbundled: bench/first-caller-profile.mjs loads the
// library function (setupTelemetry + withFlush, node_modules beside it) and runs its first
// invoke under --cpu-prof; self time is summed per package (node_modules/<pkg>), the library,
// the module compiler, Node built-ins and the rest of Node core. Fresh processes, averaged.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { lastJsonLine, runChild } from './child.mjs';
import { median } from './stats.mjs';

// Native fs calls the module loader makes while resolving and reading files.
const FS_NATIVES = new Set(['internalModuleStat', 'lstat', 'readFileUtf8', 'getNearestParentPackageJSON', 'readPackageJSON', 'realpath', 'getPackageScopeConfig', 'getPackageType']);

function group(cf) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(cf.url);
  if (m) return m[1];
  if (cf.url.includes('/dist/')) return 'otel-lambda-flush';
  if (cf.url.includes('internal/deps/undici')) return 'node: undici (fetch), loaded by an ES import of node:http';
  if (cf.functionName === 'wrapSafe' || cf.functionName === 'compileSourceTextModule') return 'node: compiling modules';
  if (cf.functionName === 'compileForInternalLoader') return 'node: loading built-ins';
  if (cf.url.startsWith('node:') || FS_NATIVES.has(cf.functionName)) return 'node: module resolution (fs) and other core';
  return cf.functionName || '(other)';
}

/** Self time (ms) per group of one profile. */
export function groupProfile(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const out = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const k = group(byId.get(profile.samples[i]).callFrame);
    out.set(k, (out.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  return out;
}

export async function profileFirstCaller({ node, root, functions, runs }) {
  const fn = functions['lib-unbundled'];
  if (!fn?.taskRoot) return { unavailable: 'lib-unbundled missing' };
  const dir = join(root, 'bench', '.build', 'first-caller-profiles');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const loads = [];
  const invokes = [];
  let undici = false;
  for (let i = 0; i < runs; i++) {
    const r = await runChild(node, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '100', join(root, 'bench', 'first-caller-profile.mjs'), join(fn.taskRoot, 'index.mjs')], {
      cwd: fn.taskRoot, env: { PATH: process.env.PATH ?? '', AWS_LAMBDA_FUNCTION_NAME: 'bench-profile', OTEL_SERVICE_NAME: 'bench-profile' }, timeoutMs: 60_000,
    });
    const out = lastJsonLine(r.stdout);
    if (!out) return { unavailable: (r.stderr || `exit ${r.code}`).trim().split('\n').slice(-2).join(' | ').slice(0, 300) };
    loads.push(out.loadMs);
    invokes.push(out.firstInvokeMs);
    undici ||= out.undiciLoaded === true;
  }
  const sums = new Map();
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  for (const f of files) for (const [k, v] of groupProfile(JSON.parse(readFileSync(join(dir, f), 'utf8')))) sums.set(k, (sums.get(k) ?? 0) + v);
  const groups = [...sums].map(([name, ms]) => ({ name, ms: ms / files.length })).sort((a, b) => b.ms - a.ms);
  return { runs, loadMs: median(loads), firstInvokeMs: median(invokes), undiciLoaded: undici, groups };
}
