// Bundles every bench function with esbuild the way the README tells a user to ship it (ES
// module, --main-fields=module,main, the createRequire banner, minified) into
// bench/.build/<name>/index.mjs, plus CommonJS bundles (the README's CommonJS command) and the
// default-flags bundles for comparison, and measures minified and gzipped sizes. `otel-lambda-flush` resolves through the package's
// self-reference to dist/, so `npm run build` must have run first.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { moduleGroup } from './profile-summary.mjs';

/** Size of a list of output buffers, minified and gzipped (each file gzipped on its own). */
function sizeOf(buffers) {
  let bytes = 0;
  let gzipBytes = 0;
  for (const b of buffers) {
    bytes += b.length;
    gzipBytes += gzipSync(b, { level: 9 }).length;
  }
  return { bytes, gzipBytes };
}

/** The README's ESM banner: the inlined CommonJS parts of the OTel packages call `require`. */
export const ESM_BANNER = "import { createRequire as topLevelCreateRequire } from 'node:module'; const require = topLevelCreateRequire(import.meta.url);";

/** The README's esbuild settings: ES module, the packages' ESM builds first. */
export const README_ESM = { format: 'esm', mainFields: ['module', 'main'], banner: { js: ESM_BANNER } };
/** The README's CommonJS command. */
export const README_CJS = { format: 'cjs', mainFields: ['module', 'main'], banner: { js: '' } };
/** esbuild's defaults for Node (CommonJS builds of the packages first), for comparison. */
export const DEFAULT_CJS = { format: 'cjs', mainFields: ['main', 'module'], banner: { js: '' } };

async function bundle(entry, outfile, extra = {}) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    ...README_ESM,
    outfile,
    write: false,
    metafile: true,
    logLevel: 'silent',
    ...extra,
  });
  const file = result.outputFiles[0];
  writeFileSync(outfile, file.contents);
  lastComposition = composition(result.metafile);
  return Buffer.from(file.contents);
}

let lastComposition = [];

/** Bytes each package contributes to a bundle's output, largest first. */
function composition(metafile) {
  const byGroup = new Map();
  for (const output of Object.values(metafile?.outputs ?? {})) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs ?? {})) {
      const group = moduleGroup(path);
      byGroup.set(group, (byGroup.get(group) ?? 0) + bytesInOutput);
    }
  }
  return [...byGroup].sort((a, b) => b[1] - a[1]).map(([name, bytes]) => ({ name, bytes }));
}

/** The peer's loader-hook files as shipped (register-hook.mjs, the hook, import-in-the-middle). */
function shippedHook(hookSource, hook, iitm) {
  return [Buffer.from(hookSource), Buffer.from(hook.outputFiles[0].contents), Buffer.from(iitm.outputFiles[0].contents)];
}

/** First esbuild error text (its message alone just says how many errors there were). */
function reason(error) {
  return String(error?.errors?.[0]?.text ?? error?.message ?? error).split('\n')[0];
}

/** A task root: CommonJS bundles need a package.json that says so (the repo root is ESM). */
function taskRoot(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"type":"commonjs"}\n');
  return dir;
}

/**
 * Builds all bench functions. Returns, per function, its task root and sizes; a function
 * that fails to bundle is returned with `error` (the bench reports that row as n/a).
 */
export async function buildFunctions(root) {
  const src = join(root, 'bench', 'functions');
  const out = join(root, 'bench', '.build');
  mkdirSync(out, { recursive: true });
  const results = {};

  const simple = async (name, options = {}) => {
    try {
      const dir = taskRoot(join(out, name));
      const file = (options.esbuild?.format ?? 'esm') === 'esm' ? 'index.mjs' : 'index.js';
      const buf = await bundle(join(src, options.from ?? name, 'index.mjs'), join(dir, file), options.esbuild);
      results[name] = { taskRoot: dir, files: [file], ...sizeOf([buf]), composition: lastComposition.slice(0, 15) };
    } catch (error) {
      results[name] = { error: reason(error) };
    }
  };
  await simple('bare');
  await simple('lib');
  await simple('lib-import-only');
  await simple('api-only');
  // The README's CommonJS command (no top-level await: functions/lib-cjs), and the bare handler
  // the same way, for the CommonJS rows.
  await simple('bare-cjs', { from: 'bare', esbuild: README_CJS });
  await simple('lib-cjs', { esbuild: README_CJS });
  // esbuild's default flags (CommonJS, the packages' CommonJS builds), sizes only: what
  // skipping the README's `--main-fields=module,main` costs.
  await simple('lib-default', { from: 'lib-cjs', esbuild: DEFAULT_CJS });
  // Unminified CommonJS copy of the library function for the CPU profile: esbuild's module
  // comments (`// node_modules/...`) let the profile summary attribute time to packages.
  await simple('lib-profile', { from: 'lib-cjs', esbuild: { ...README_CJS, minify: false } });

  // The peer: its setup file is preloaded with NODE_OPTIONS (as its README says) and its
  // ESM loader hook is registered with `--import register-hook.mjs` (README option 2, needed
  // because the runtime client loads the handler with `await import()`).
  // import-in-the-middle must stay external: the loader hook and the instrumentation must
  // share ONE copy of it, or the hook never reaches the instrumentation and no span is made.
  try {
    const dir = taskRoot(join(out, 'peer'));
    const handler = await bundle(join(src, 'peer', 'index.mjs'), join(dir, 'index.mjs'));
    // Preloaded with --require: a CommonJS file, with the same main fields as every column.
    const setup = await bundle(join(src, 'peer', 'otel-setup.mjs'), join(dir, 'otel-setup.js'), {
      ...README_CJS, external: ['import-in-the-middle'],
    });
    const hookSource = "import { register } from 'node:module';\nregister('@opentelemetry/instrumentation/hook.mjs', import.meta.url);\n";
    writeFileSync(join(dir, 'register-hook.mjs'), hookSource);
    // What the loader hook would weigh if shipped bundled (measured only; at run time it is
    // loaded from node_modules, together with import-in-the-middle).
    const hook = await build({
      stdin: { contents: "export * from '@opentelemetry/instrumentation/hook.mjs';", resolveDir: root, loader: 'js' },
      bundle: true, minify: true, platform: 'node', format: 'esm', write: false, logLevel: 'silent',
    });
    const iitm = await build({
      stdin: { contents: "module.exports = require('import-in-the-middle');", resolveDir: root, loader: 'js' },
      bundle: true, minify: true, platform: 'node', format: 'cjs', write: false, logLevel: 'silent',
    });
    const shipped = [handler, setup, ...shippedHook(hookSource, hook, iitm)];
    // The peer's setup with esbuild's default flags, for the same size comparison.
    const setupDefault = await bundle(join(src, 'peer', 'otel-setup.mjs'), join(taskRoot(join(out, 'peer-default')), 'otel-setup.js'), {
      ...DEFAULT_CJS, external: ['import-in-the-middle'],
    });
    results['peer-default'] = { ...sizeOf([handler, setupDefault, ...shippedHook(hookSource, hook, iitm)]), note: 'size only' };
    results.peer = {
      taskRoot: dir,
      files: ['index.mjs', 'otel-setup.js', 'register-hook.mjs'],
      ...sizeOf(shipped),
      parts: { handlerAndSetup: sizeOf([handler, setup]), loaderHook: sizeOf(shipped.slice(2)) },
      nodeOptions: `--import ${join(dir, 'register-hook.mjs')} --require ${join(dir, 'otel-setup.js')}`,
    };
  } catch (error) {
    results.peer = { error: reason(error) };
  }

  // The project's example functions, for their bundle sizes only.
  const examples = {};
  const exDir = join(root, 'examples');
  for (const name of existsSync(exDir) ? readdirSync(exDir) : []) {
    const entry = ['index.mjs', 'index.ts', 'index.js', 'handler.mjs', 'handler.ts']
      .map((f) => join(exDir, name, f))
      .find((f) => existsSync(f));
    if (!entry) continue;
    const dir = taskRoot(join(out, 'examples', name));
    try {
      examples[name] = { ...sizeOf([await bundle(entry, join(dir, 'index.mjs'))]), format: 'esm' };
    } catch (error) {
      examples[name] = { error: reason(error) };
    }
  }
  return { functions: results, examples };
}
