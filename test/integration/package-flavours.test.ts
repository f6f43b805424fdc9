// The package's two flavours (scripts/build.mjs): Node loads the SDK setupTelemetry() needs from
// one pre-bundled file (dist/sdk/sdk.cjs) instead of a few hundred files of node_modules;
// bundlers take dist/bundler (the "module" export condition), where the SDK packages are the
// user's own, inlined only when setupTelemetry is used.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SDK_FILES = /node_modules\/@opentelemetry\/(sdk-|resources|core|context-async-hooks|exporter-|otlp-)/;

/** Runs `code` in a fresh Node process inside the repository (self-reference resolves the package). */
function run(code: string, type: 'module' | 'commonjs'): { loaded: string[]; registered: boolean } {
  const args = type === 'module' ? ['--input-type=module', '-e', code] : ['-e', code];
  const out = execFileSync(process.execPath, args, { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' }, encoding: 'utf8', timeout: 30_000 });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}');
}

const report = `JSON.stringify({ loaded: Object.keys(require.cache), registered: typeof api.trace.getTracerProvider().getDelegate?.().forceFlush === 'function' })`;

describe('Node flavour: setupTelemetry() loads the SDK from dist/sdk/sdk.cjs', () => {
  it('ES module: providers registered, the SDK read from the one pre-bundled file', () => {
    const r = run(
      `import { createRequire } from 'node:module'; import * as api from '@opentelemetry/api'; import { setupTelemetry } from 'otel-lambda-flush';
       await setupTelemetry(); const require = createRequire(import.meta.url); console.log(${report}); process.exit(0);`,
      'module',
    );
    expect(r.registered).toBe(true);
    expect(r.loaded.some((f) => f.endsWith(join('dist', 'sdk', 'sdk.cjs')))).toBe(true);
    expect(r.loaded.filter((f) => SDK_FILES.test(f))).toEqual([]);
  });

  it('CommonJS: the same', () => {
    const r = run(`const api = require('@opentelemetry/api'); require('otel-lambda-flush').setupTelemetry(); console.log(${report}); process.exit(0);`, 'commonjs');
    expect(r.registered).toBe(true);
    expect(r.loaded.some((f) => f.endsWith(join('dist', 'sdk', 'sdk.cjs')))).toBe(true);
    expect(r.loaded.filter((f) => SDK_FILES.test(f))).toEqual([]);
  });

  it('importing the library without setupTelemetry() does not load the SDK file', () => {
    const r = run(`const api = require('@opentelemetry/api'); require('otel-lambda-flush').withFlush(async () => 1); console.log(${report}); process.exit(0);`, 'commonjs');
    expect(r.loaded.some((f) => f.includes(join('dist', 'sdk')))).toBe(false);
    expect(r.registered).toBe(false);
  });
});

describe('bundler flavour: esbuild takes dist/bundler and the user\'s SDK packages', () => {
  const bundle = async (contents: string) => {
    const r = await build({
      stdin: { contents, resolveDir: repoRoot, loader: 'js' },
      bundle: true, platform: 'node', format: 'esm', mainFields: ['module', 'main'], write: false, metafile: true, logLevel: 'silent',
    });
    // What is in the output (inputs lists every file esbuild read, tree-shaken or not).
    return Object.values(r.metafile.outputs).flatMap((o) => Object.entries(o.inputs).filter(([, i]) => i.bytesInOutput > 0).map(([f]) => f));
  };

  it('withFlush only: no SDK package and no pre-bundled SDK in the bundle', async () => {
    const inputs = await bundle("import { withFlush } from 'otel-lambda-flush'; export const handler = withFlush(async () => 1);");
    expect(inputs).toContain('dist/bundler/index.js');
    expect(inputs.filter((f) => f.includes('dist/sdk') || SDK_FILES.test(f))).toEqual([]);
  });

  it('setupTelemetry: the SDK packages inlined from node_modules, not the pre-bundled copy', async () => {
    const inputs = await bundle("import { setupTelemetry, withFlush } from 'otel-lambda-flush'; setupTelemetry(); export const handler = withFlush(async () => 1);");
    expect(inputs).toContain('dist/bundler/index.js');
    expect(inputs.some((f) => f.includes('node_modules/@opentelemetry/sdk-trace/'))).toBe(true);
    expect(inputs.some((f) => f.includes('dist/sdk'))).toBe(false);
    // Only the parts setupTelemetry() uses: not the resource detectors (which would make an ES
    // module bundle load child_process, crypto and os before the function's first line).
    expect(inputs.filter((f) => /resources\/build\/esm\/detectors\/platform\/node\//.test(f))).toEqual([]);
  });
});
