// Builds dist/, in two flavours of the library:
// - for Node (dist/esm/*.js, dist/cjs/*.cjs; the package's "import" / "require" exports): the
//   OpenTelemetry SDK packages setupTelemetry() loads come from dist/sdk/sdk.cjs, one file
//   pre-bundled from them, loaded only when setupTelemetry() runs. A function deployed with
//   node_modules (unbundled, a layer) then reads one file instead of a few hundred.
// - for bundlers (dist/bundler/index.js; the "module" export condition, which esbuild, webpack,
//   rollup and vite apply): the SDK packages stay `require('<package>')` calls that the bundler
//   inlines from the user's node_modules (and drops when setupTelemetry is not used).
// plus the test kit (ESM and CJS) and type declarations (.d.ts for ESM, .d.cts for CJS).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { workerDefine } from './worker-source.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nodeRequire = createRequire(join(root, 'package.json'));
const dist = join(root, 'dist');
const entries = { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' };

/**
 * The packages setupTelemetry() loads (src/providers/sdk-load.ts, exporters.ts). In the Node
 * flavour each becomes a small module reading it from dist/sdk/sdk.cjs, whose getters evaluate a
 * package at its first use. @opentelemetry/api and api-logs stay packages of their own (one copy
 * shared with the function's code).
 */
const SDK_PACKAGES = [
  '@opentelemetry/resources', '@opentelemetry/core', '@opentelemetry/context-async-hooks',
  '@opentelemetry/sdk-trace', '@opentelemetry/sdk-metrics', '@opentelemetry/sdk-logs',
  '@opentelemetry/exporter-trace-otlp-http', '@opentelemetry/exporter-metrics-otlp-http',
  '@opentelemetry/exporter-logs-otlp-http', '@opentelemetry/otlp-transformer',
];
const sdkFromBundle = (sdkPath) => ({
  name: 'sdk-from-bundle',
  setup(b) {
    const filter = new RegExp(`^(${SDK_PACKAGES.map((p) => p.replace(/[/.-]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'olf-sdk' }));
    b.onResolve({ filter: /^olf-sdk-bundle$/ }, () => ({ path: sdkPath, external: true }));
    b.onLoad({ filter: /.*/, namespace: 'olf-sdk' }, (args) => ({ contents: `module.exports = require('olf-sdk-bundle')[${JSON.stringify(args.path)}];`, loader: 'js' }));
  },
});

// The Node ES module build reads @opentelemetry/api (and api-logs) with require(), as the
// pre-bundled SDK does: one copy of each in the process (Node would otherwise load the API's ESM
// build for the library and its CommonJS build for the SDK, some 45 files each).
const apiAsCommonJs = {
  name: 'api-as-commonjs',
  setup(b) {
    b.onResolve({ filter: /^@opentelemetry\/api(-logs)?$/ }, (args) =>
      args.namespace === 'olf-api' ? { path: args.path, external: true } : { path: args.path, namespace: 'olf-api' });
    // Named exports read once (an ES module over require()), not esbuild's CommonJS interop,
    // whose getters would run at every `trace.` / `context.` of the per-invoke path.
    b.onLoad({ filter: /.*/, namespace: 'olf-api' }, (args) => {
      const names = Object.keys(nodeRequire(args.path)).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== 'default');
      return { contents: `const m = require(${JSON.stringify(args.path)});\nexport const { ${names.join(', ')} } = m;\n`, loader: 'js' };
    });
  },
};

rmSync(dist, { recursive: true, force: true });
const define = workerDefine();
const common = {
  entryPoints: Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, join(root, v)])),
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  define,
  logLevel: 'warning',
  // src/providers/sdk-load.ts reads import.meta.url only where __filename is missing (ESM).
  logOverride: { 'empty-import-meta': 'silent' },
};
// CommonJS parts inlined into ES modules (the SDK shims) call require().
const esmRequire = { js: "import { createRequire as __olfCreateRequire } from 'node:module'; const require = __olfCreateRequire(import.meta.url);" };
const library = { ...common, entryPoints: { index: join(root, entries.index) } };
const kit = { ...common, entryPoints: { 'testing/index': join(root, entries['testing/index']) } };
await build({ ...library, format: 'esm', outdir: join(dist, 'esm'), plugins: [sdkFromBundle('../sdk/sdk.cjs'), apiAsCommonJs], banner: esmRequire });
await build({ ...library, format: 'cjs', outdir: join(dist, 'cjs'), outExtension: { '.js': '.cjs' }, plugins: [sdkFromBundle('../sdk/sdk.cjs')] });
await build({ ...kit, format: 'esm', outdir: join(dist, 'esm') });
await build({ ...kit, format: 'cjs', outdir: join(dist, 'cjs'), outExtension: { '.js': '.cjs' } });
// For bundlers, the SDK as named imports (src/providers/sdk-static.ts) instead of namespace
// requires: the bundler keeps only the parts setupTelemetry() uses, none without it.
const staticSdk = {
  name: 'static-sdk',
  setup(b) {
    b.onResolve({ filter: /^\.\/sdk-load\.js$/ }, (args) =>
      args.importer.startsWith(join(root, 'src', 'providers')) && !args.importer.endsWith('sdk-static.ts') ? { path: join(root, 'src', 'providers', 'sdk-static.ts') } : undefined);
  },
};
await build({ ...library, format: 'esm', outdir: join(dist, 'bundler'), plugins: [staticSdk] });
// The SDK for the Node flavour: one CommonJS file, the packages' ESM builds (tree-shaken within
// each package), each evaluated at its first use.
await build({
  stdin: {
    contents: `module.exports = {\n${SDK_PACKAGES.map((p) => `  get ${JSON.stringify(p)}() { return require(${JSON.stringify(p)}); },`).join('\n')}\n};\n`,
    resolveDir: root,
    sourcefile: 'sdk-bundle.js',
    loader: 'js',
  },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  mainFields: ['module', 'main'],
  external: ['@opentelemetry/api', '@opentelemetry/api-logs'],
  minify: true,
  legalComments: 'none',
  outfile: join(dist, 'sdk', 'sdk.cjs'),
  logLevel: 'warning',
});

// Zero-code entries (src/zero-code): they use the package's own index build rather than a copy
// of it, so one process loads the library once. The handler module is ESM only (it awaits the
// providers, then the user's module, at top level); the register preload exists in both formats.
const sameIndex = (ext) => ({
  name: 'same-index',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/index\.js$/ }, (args) =>
      args.importer.startsWith(join(root, 'src', 'zero-code')) ? { path: `../index${ext}`, external: true } : undefined,
    );
  },
});
const zeroCode = { ...common, entryPoints: undefined };
await build({
  ...zeroCode,
  entryPoints: { 'zero-code/handler': join(root, 'src/zero-code/handler.ts'), 'zero-code/register': join(root, 'src/zero-code/register.ts') },
  format: 'esm',
  outdir: join(dist, 'esm'),
  plugins: [sameIndex('.js'), apiAsCommonJs],
  banner: esmRequire,
});
await build({
  ...zeroCode,
  entryPoints: { 'zero-code/register': join(root, 'src/zero-code/register-cjs.ts') },
  format: 'cjs',
  outdir: join(dist, 'cjs'),
  outExtension: { '.js': '.cjs' },
  plugins: [sameIndex('.cjs')],
});

// Declarations: one tsc pass, copied as .d.ts (ESM) and .d.cts (CJS, with .cjs specifiers).
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
const types = join(dist, 'types');
cpSync(types, join(dist, 'esm'), { recursive: true });
(function copyCts(dir, rel = '') {
  for (const name of readdirSync(dir)) {
    const from = join(dir, name);
    if (statSync(from).isDirectory()) { copyCts(from, join(rel, name)); continue; }
    if (!name.endsWith('.d.ts')) continue;
    const to = join(dist, 'cjs', rel, name.replace(/\.d\.ts$/, '.d.cts'));
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, readFileSync(from, 'utf8').replace(/(from\s+['"]\.{1,2}\/[^'"]*?)\.js(['"])/g, '$1.cjs$2'));
  }
})(types);
rmSync(types, { recursive: true, force: true });
writeFileSync(join(dist, 'cjs', 'package.json'), '{"type":"commonjs"}\n');
writeFileSync(join(dist, 'sdk', 'package.json'), '{"type":"commonjs"}\n');
console.log('built dist/esm, dist/cjs, dist/sdk and dist/bundler');
