// Builds dist/: ESM (.js) and CommonJS (.cjs) bundles per public entry point, with the
// dependencies left external, plus type declarations (.d.ts for ESM, .d.cts for CJS).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workerDefine } from './worker-source.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const entries = { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' };

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
await build({ ...common, format: 'esm', outdir: join(dist, 'esm'), outExtension: { '.js': '.js' } });
await build({ ...common, format: 'cjs', outdir: join(dist, 'cjs'), outExtension: { '.js': '.cjs' } });
literalRequires(join(dist, 'esm'));

/**
 * esbuild's ESM output turns `typeof require === 'function' ? require('x')` into its `__require`
 * shim, which throws in plain Node and hides the package from the bundler that bundles the
 * user's function. Put the literal guard back (src/providers/sdk-load.ts explains why).
 */
function literalRequires(dir) {
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) { literalRequires(file); continue; }
    if (!name.endsWith('.js')) continue;
    const text = readFileSync(file, 'utf8');
    const fixed = text
      .replaceAll('typeof __require === "function"', 'typeof require === "function"')
      .replace(/__require\((["']@opentelemetry\/[^"']+["'])\)/g, 'require($1)');
    if (fixed !== text) writeFileSync(file, fixed);
  }
}

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
  plugins: [sameIndex('.js')],
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
console.log('built dist/esm and dist/cjs');
