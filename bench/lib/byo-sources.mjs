// What the library's share of the bring-your-own-SDK bundle is made of, by source folder: the
// same function (functions/lib-import-only) bundled from src/ instead of dist/ (same esbuild
// settings, the worker's source inlined as the build does), so esbuild's metafile names each
// source file. Shows where the bytes are and what leaving a part out would save.
import { build } from 'esbuild';
import { join } from 'node:path';
import { workerDefine } from '../../scripts/worker-source.mjs';
import { README_ESM } from './bundle.mjs';

/** The part of the library a source file belongs to (src/<folder>, or a top-level file). */
function part(file) {
  const parts = file.split('/');
  if (parts[0] !== 'src') return undefined;
  if (parts[1] === 'invocation' && parts[2] === 'triggers') return 'invocation/triggers';
  return parts.length > 2 ? parts[1] : 'top-level files (compose, shutdown, state, ...)';
}

/** Minified bytes per library part, largest first; undefined when the build fails. */
export async function byoSources(root) {
  try {
    const r = await build({
      entryPoints: [join(root, 'bench', 'functions', 'lib-import-only', 'index.mjs')],
      bundle: true, minify: true, platform: 'node', target: 'node22', ...README_ESM,
      define: workerDefine(), write: false, metafile: true, logLevel: 'silent',
      plugins: [{ name: 'from-src', setup(b) { b.onResolve({ filter: /^otel-lambda-flush$/ }, () => ({ path: join(root, 'src', 'index.ts') })); } }],
    });
    const byPart = new Map();
    for (const output of Object.values(r.metafile.outputs)) {
      for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
        const p = part(file); // metafile paths are relative to the working directory (the repo root)
        if (p && bytesInOutput > 0) byPart.set(p, (byPart.get(p) ?? 0) + bytesInOutput);
      }
    }
    return [...byPart].sort((a, b) => b[1] - a[1]).map(([name, bytes]) => ({ name, bytes }));
  } catch {
    return undefined;
  }
}
