// Unbundled bench functions: the handler as an ES module next to a node_modules folder, the
// way layers and many zips ship (no bundler). node_modules holds symlinks to the repo's
// packages plus `otel-lambda-flush` itself (→ the repo root, so its dist/ is what loads).
// Also: the layer's size (`scripts/layer.mjs`) and whether a bundled function runs with no
// node_modules beside it (what a deployed zip of one bundle has).
import { transform } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChild } from './child.mjs';

function linkNodeModules(root, dir) {
  const nm = join(dir, 'node_modules');
  mkdirSync(nm, { recursive: true });
  for (const name of readdirSync(join(root, 'node_modules'))) {
    if (name.startsWith('.') || name === 'otel-lambda-flush') continue;
    symlinkSync(join(root, 'node_modules', name), join(nm, name));
  }
  symlinkSync(root, join(nm, 'otel-lambda-flush'));
}

/** A task root with `index.mjs` (the function's source, probe beside it) and linked node_modules. */
function unbundledRoot(root, out, name, from) {
  const dir = join(out, `${name}-unbundled`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const src = join(root, 'bench', 'functions');
  writeFileSync(join(dir, 'index.mjs'), readFileSync(join(src, from, 'index.mjs'), 'utf8').replace("'../probe.mjs'", "'./probe.mjs'"));
  copyFileSync(join(src, 'probe.mjs'), join(dir, 'probe.mjs'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  linkNodeModules(root, dir);
  return dir;
}

/** Builds the unbundled functions: bare, lib, lib-import-only and the peer (its setup file as CommonJS, preloaded with --require). */
export async function buildUnbundled(root, out) {
  const results = {};
  for (const fn of ['bare', 'lib', 'lib-import-only']) {
    try {
      results[`${fn}-unbundled`] = { taskRoot: unbundledRoot(root, out, fn, fn), files: ['index.mjs'], unbundled: true };
    } catch (error) {
      results[`${fn}-unbundled`] = { error: String(error?.message ?? error) };
    }
  }
  try {
    const dir = unbundledRoot(root, out, 'peer', 'peer');
    const setup = await transform(readFileSync(join(root, 'bench', 'functions', 'peer', 'otel-setup.mjs'), 'utf8'), { format: 'cjs', loader: 'js' });
    writeFileSync(join(dir, 'otel-setup.cjs'), setup.code);
    const hookSource = "import { register } from 'node:module';\nregister('@opentelemetry/instrumentation/hook.mjs', import.meta.url);\n";
    writeFileSync(join(dir, 'register-hook.mjs'), hookSource);
    results['peer-unbundled'] = {
      taskRoot: dir, files: ['index.mjs', 'otel-setup.cjs', 'register-hook.mjs'], unbundled: true,
      nodeOptions: `--import ${join(dir, 'register-hook.mjs')} --require ${join(dir, 'otel-setup.cjs')}`,
    };
  } catch (error) {
    results['peer-unbundled'] = { error: String(error?.message ?? error) };
  }
  return results;
}

/** `scripts/layer.mjs` into bench/.build: the zip's size, or why it could not be built. */
export async function layerSize(root, out, node) {
  const file = join(out, 'layer.zip');
  const r = await runChild(node, [join(root, 'scripts', 'layer.mjs'), '--out', file], { cwd: root, env: process.env, timeoutMs: 120_000 });
  if (r.code !== 0) return { error: (r.stderr || `exit ${r.code}`).trim().split('\n').slice(-2).join(' | ').slice(0, 300) };
  return { zipBytes: statSync(file).size };
}

/**
 * Copies a bundled function (one file) to an empty temporary folder, outside this repo's
 * node_modules, and loads it as Lambda would: does it run from its zip alone?
 */
export async function runsAlone(node, bundleFile) {
  const dir = join(tmpdir(), `olf-bench-alone-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    const name = bundleFile.endsWith('.mjs') ? 'index.mjs' : 'index.js';
    cpSync(bundleFile, join(dir, name));
    writeFileSync(join(dir, 'package.json'), '{"type":"commonjs"}\n');
    const script = `import('./${name}').then((m) => m.ready).then(() => console.log('ok'), (e) => console.log('error: ' + String(e && e.message || e).split('\\n')[0]))`;
    const r = await runChild(node, ['-e', script], { cwd: dir, env: { PATH: process.env.PATH ?? '', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' }, timeoutMs: 30_000 });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    return line === 'ok' ? { ok: true } : { ok: false, error: line.replace(/^error: /, '') || (r.stderr.trim().split('\n')[0] ?? `exit ${r.code}`) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The library's share (bytes) of a bundle composition. */
export function libraryShare(composition) {
  return composition?.find((c) => c.name === 'otel-lambda-flush')?.bytes;
}


