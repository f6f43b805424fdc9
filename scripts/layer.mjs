// `npm run layer`: a Lambda layer zip for zero-code activation.
//   otel-lambda-flush-wrapper                       AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-lambda-flush-wrapper
//   nodejs/node_modules/otel-lambda-flush/          the library, its dependencies bundled in (ESM + CJS)
//   nodejs/node_modules/@opentelemetry/api/         the API stays a package of its own: one copy that
//                                                   the library and CommonJS function code share
// Usage: node scripts/layer.mjs [--out file.zip]   (default dist/layer/otel-lambda-flush-layer.zip)
import { build } from 'esbuild';
import { builtinModules } from 'node:module';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workerDefine } from './worker-source.mjs';
import { zip } from './zip.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
const outFile = outArg > 0 ? process.argv[outArg + 1] : join(root, 'dist', 'layer', 'otel-lambda-flush-layer.zip');
const LIB = 'nodejs/node_modules/otel-lambda-flush';
const API = 'nodejs/node_modules/@opentelemetry/api';
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** @type {Map<string, { data: Buffer, mode?: number }>} */
const files = new Map();
const add = (name, data, mode) => files.set(name, { data: Buffer.isBuffer(data) ? data : Buffer.from(data), mode });

// The library, with everything but @opentelemetry/api inlined: one file per entry and format.
// (Not split into chunks: esbuild then gives a dynamic import() of a CommonJS dependency only
// its default export.) What setupTelemetry() imports lazily is still evaluated only when needed.
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  write: false,
  external: ['@opentelemetry/api'],
  mainFields: ['module', 'main'],
  define: workerDefine(),
  minify: true,
  keepNames: true,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
};
const src = (p) => join(root, 'src', p);
// The zero-code entries use the index of their format (one copy of the library each), as in dist/.
const sameIndex = (ext) => ({
  name: 'same-index',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/index\.js$/ }, (args) => (args.importer.startsWith(src('zero-code')) ? { path: `../index${ext}`, external: true } : undefined));
  },
});
// src/providers/sdk-load.ts loads each SDK package with a literal require(): esbuild inlines them
// (the layer ships no SDK packages beside the bundle).
const esm = await build({
  ...common,
  entryPoints: { index: src('index.ts'), 'zero-code/handler': src('zero-code/handler.ts'), 'zero-code/register': src('zero-code/register.ts') },
  format: 'esm',
  outdir: join(root, LIB, 'dist/esm'),
  plugins: [sameIndex('.js')],
  // CommonJS-only dependencies inlined into ESM still call require() for Node built-ins.
  banner: { js: "import{createRequire as __olfRequire}from'node:module';const require=__olfRequire(import.meta.url);" },
});
const cjs = await build({
  ...common,
  entryPoints: { index: src('index.ts'), 'zero-code/register': src('zero-code/register-cjs.ts') },
  format: 'cjs',
  // sdk-load.ts's import.meta branch is for ESM; its require() calls are inlined anyway.
  logOverride: { 'empty-import-meta': 'silent' },
  outExtension: { '.js': '.cjs' },
  outdir: join(root, LIB, 'dist/cjs'),
  plugins: [sameIndex('.cjs')],
});
for (const f of [...esm.outputFiles, ...cjs.outputFiles]) add(relative(root, f.path), f.contents);
// Everything the library loads must be inside the bundle: only @opentelemetry/api may be left out.
for (const result of [esm, cjs]) {
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    const left = (output.imports ?? []).filter((i) => i.external && !i.path.startsWith('node:') && !i.path.startsWith('@opentelemetry/api') && !i.path.startsWith('../index') && !builtinModules.includes(i.path));
    if (left.length > 0) throw new Error(`layer: ${file} still imports ${left.map((i) => i.path).join(', ')}`);
  }
}

const layerPkg = {
  name: pkg.name,
  version: pkg.version,
  description: pkg.description,
  license: pkg.license,
  type: 'module',
  main: './dist/cjs/index.cjs',
  exports: {
    '.': { import: './dist/esm/index.js', require: './dist/cjs/index.cjs' },
    './register': { import: './dist/esm/zero-code/register.js', require: './dist/cjs/zero-code/register.cjs' },
    './package.json': './package.json',
  },
};
add(`${LIB}/package.json`, `${JSON.stringify(layerPkg, null, 2)}\n`);
add(`${LIB}/dist/cjs/package.json`, '{"type":"commonjs"}\n');

// Licences of everything inlined (Apache-2.0 asks for them to travel with the code).
const packages = new Map();
for (const input of [...Object.keys(esm.metafile.inputs), ...Object.keys(cjs.metafile.inputs)]) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m) packages.set(m[1], join(root, input.slice(0, m.index), 'node_modules', m[1]));
}
let notices = `${pkg.name} ${pkg.version} bundles the following packages.\n`;
for (const [name, dir] of [...packages].sort(([a], [b]) => a.localeCompare(b))) {
  const { version, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
  notices += `\n---\n${name}@${version} (${license})\n${file ? `\n${readFileSync(join(dir, file), 'utf8').trim()}\n` : ''}`;
}
add(`${LIB}/THIRD_PARTY_LICENSES`, notices);
add(`${LIB}/LICENSE`, readFileSync(join(root, 'node_modules/@opentelemetry/api/LICENSE'))); // the same Apache-2.0 text

// @opentelemetry/api as installed: what Node loads (package.json, the CommonJS build), no types or maps.
const apiDir = join(root, 'node_modules/@opentelemetry/api');
add(`${API}/package.json`, readFileSync(join(apiDir, 'package.json')));
add(`${API}/LICENSE`, readFileSync(join(apiDir, 'LICENSE')));
(function copy(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) copy(p);
    else if (name.endsWith('.js')) add(`${API}/${relative(apiDir, p)}`, readFileSync(p));
  }
})(join(apiDir, 'build/src'));

add('otel-lambda-flush-wrapper', readFileSync(join(root, 'bin/otel-lambda-flush-wrapper')), 0o755);

// Directories first, then files, sorted: a stable archive.
const names = [...files.keys()].sort();
const dirs = new Set();
for (const n of names) for (let d = dirname(n); d !== '.'; d = dirname(d)) dirs.add(`${d}/`);
const entries = [...[...dirs].sort().map((name) => ({ name })), ...names.map((name) => ({ name, ...files.get(name) }))];
const archive = zip(entries);
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, archive);
const unpacked = names.reduce((s, n) => s + files.get(n).data.length, 0);
console.log(`layer: ${relative(process.cwd(), outFile) || outFile} ${(archive.length / 1024).toFixed(0)} KiB zipped, ${(unpacked / 1024).toFixed(0)} KiB unpacked, ${names.length} files`);
