// Builds the extension worker (src/extension/worker/main.ts) into one self-contained CommonJS
// script. The library starts it with `new Worker(source, { eval: true })`, so a function bundled
// with esbuild carries the worker inside its own bundle: no second file to ship or locate.
import { buildSync } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../src/extension/worker/main.ts', import.meta.url));

/** @returns {string} the worker's source code, or a script that reports it was not built. */
export function buildWorkerSource() {
  if (!existsSync(entry)) return 'throw new Error("otel-lambda-flush: extension worker not built")';
  const out = buildSync({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    legalComments: 'none',
  });
  return out.outputFiles[0].text;
}

/** esbuild / vite `define` entries that inline the worker source. */
export function workerDefine() {
  return { __OLF_WORKER_SOURCE__: JSON.stringify(buildWorkerSource()) };
}
