// Plain statements about where the library's cold start goes, derived from this run's import
// timings, CPU profile and bundle composition (no hand-written numbers).
import { fmtNum } from './report.mjs';

const d = (a, b) => (Number.isFinite(a) && Number.isFinite(b) ? a - b : undefined);

export function coldStartAnalysis(results) {
  const out = [];
  const m = results.imports?.medianMs ?? {};
  if (Number.isFinite(m['lib-import-only'])) {
    out.push(`Importing otel-lambda-flush and wrapping the handler (no setupTelemetry): +${fmtNum(d(m['lib-import-only'], m.bare), 'ms')} over the bare module` +
      (Number.isFinite(m['api-only']) ? `, of which @opentelemetry/api alone (imported, one tracer taken) +${fmtNum(d(m['api-only'], m.bare), 'ms')} and the library's own code +${fmtNum(d(m['lib-import-only'], m['api-only']), 'ms')}.` : '.'));
  }
  if (Number.isFinite(m.lib)) {
    out.push(`setupTelemetry() with its defaults (traces + metrics + logs): +${fmtNum(d(m.lib, m['lib-import-only']), 'ms')}; ` +
      `with OTEL_LOGS_EXPORTER=none: +${fmtNum(d(m['lib-no-logs'], m['lib-import-only']), 'ms')} (the logs signal costs ${fmtNum(d(m.lib, m['lib-no-logs']), 'ms')}); ` +
      `traces only: +${fmtNum(d(m['lib-traces-only'], m['lib-import-only']), 'ms')}. ` +
      `For scale, the peer's setup file alone (without its loader hook) loads in ${fmtNum(m['peer-setup'], 'ms')}.`);
  }
  const dflt = results.functionsExtra?.['lib-default'];
  const dfltPeer = results.functionsExtra?.['peer-default'];
  const lib = results.rows.find((r) => r.id === 'sync')?.bundle;
  const peer = results.rows.find((r) => r.id === 'peer')?.bundle;
  if (dflt?.bytes && lib?.bytes) {
    out.push(`Without the README's \`--main-fields=module,main\` (esbuild's defaults take the OTel packages' CommonJS builds, which it cannot tree-shake, ` +
      `and pull in all of @opentelemetry/semantic-conventions): the library's function ${fmtNum(dflt.bytes / 1024, 'KB')} instead of ${fmtNum(lib.bytes / 1024, 'KB')} minified` +
      (dfltPeer?.bytes && peer?.bytes ? `, the peer's ${fmtNum(dfltPeer.bytes / 1024, 'KB')} instead of ${fmtNum(peer.bytes / 1024, 'KB')}` : '') +
      (Number.isFinite(m['lib-default']) && Number.isFinite(m['lib-cjs']) ? `; module load with setupTelemetry() ${fmtNum(m['lib-default'], 'ms')} instead of ${fmtNum(m['lib-cjs'], 'ms')} (both CommonJS).` : '.'));
  }
  const p = results.profile;
  if (p && !p.unavailable) {
    const fn = (name, mod) => p.functions.filter((f) => f.name === name && (!mod || f.module.includes(mod))).reduce((s, f) => s + f.ms, 0);
    const group = (name) => p.groups.find((g) => g.name === name)?.ms ?? 0;
    out.push(`Of ${fmtNum(p.sampledMs, 'ms')} sampled: compiling the bundle (\`wrapSafe\`) ${fmtNum(fn('wrapSafe'), 'ms')}, ` +
      `loading Node built-ins the exporters need (\`compileForInternalLoader\`: http, https, zlib, ...) ${fmtNum(fn('compileForInternalLoader'), 'ms')}, ` +
      `esbuild's module wrappers (\`__require\`/\`__init\`, where each module body is lazily compiled and run) ${fmtNum(group('(bundle runtime helpers)'), 'ms')}, ` +
      `garbage collection ${fmtNum(group('(garbage collector)'), 'ms')}; the rest is module top-level code, led by ` +
      p.groups.filter((g) => g.name.startsWith('@') || g.name === 'otel-lambda-flush' || !g.name.startsWith('(') && !g.name.startsWith('node'))
        .slice(0, 4).map((g) => `${g.name} ${fmtNum(g.ms, 'ms')}`).join(', ') + '.');
  }
  const comp = results.rows.find((r) => r.id === 'sync')?.bundle?.composition;
  const total = results.rows.find((r) => r.id === 'sync')?.bundle?.bytes;
  if (comp?.length && total) {
    out.push(`What the library's function bundle (${fmtNum(total / 1024, 'KB')} minified) is made of: ` +
      comp.slice(0, 8).map((c) => `${c.name} ${fmtNum(c.bytes / 1024, 'KB')}`).join(', ') + '. Compile time grows with this code, whether or not it is imported lazily: a bundler inlines dynamic imports.');
  }
  return out;
}
