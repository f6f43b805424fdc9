// Summarises a V8 .cpuprofile: self time per module (package) and per function. Functions in
// an unminified esbuild bundle are attributed to the module whose `// path` comment precedes
// them, so one bundle file still splits into its packages.

/** Module boundaries of an esbuild bundle: sorted [{ line (0-based), path }]. */
export function bundleModuleMap(bundleText) {
  const map = [];
  const lines = bundleText.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\/\/ ((?:node_modules|src|dist|bench|\.\.)\/\S+)\s*$/.exec(lines[i]);
    if (m) map.push({ line: i, path: m[1] });
  }
  return map;
}

/** A module path → a short group name: npm package, or the library's own dist/src. */
export function moduleGroup(path) {
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (m) return m[1];
  if (/^(?:dist|src)\//.test(path)) return 'otel-lambda-flush';
  return path;
}

function lookupModule(map, line) {
  let lo = 0;
  let hi = map.length - 1;
  let found;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (map[mid].line <= line) { found = map[mid]; lo = mid + 1; } else hi = mid - 1;
  }
  return found?.path;
}

function classify(frame, bundleUrlSuffix, map) {
  const { url = '', functionName = '' } = frame;
  if (!url) {
    if (functionName === '(garbage collector)') return { group: '(garbage collector)', module: '(gc)' };
    if (functionName === '(program)') return { group: '(program: compile, native, runtime)', module: '(program)' };
    if (functionName === '(idle)') return { group: '(idle)', module: '(idle)' };
    return { group: '(native / builtin)', module: '(native)' };
  }
  if (bundleUrlSuffix && url.endsWith(bundleUrlSuffix) && map.length > 0) {
    const path = lookupModule(map, frame.lineNumber ?? 0) ?? '(bundle runtime helpers)';
    return { group: moduleGroup(path), module: path };
  }
  if (url.startsWith('node:')) return { group: 'node core (module loader, fs, ...)', module: url };
  return { group: moduleGroup(url.replace(/^file:\/\//, '')), module: url };
}

/**
 * @param {any} profile parsed .cpuprofile
 * @param {{ bundleText?: string, bundleUrlSuffix?: string, windowUs?: [number, number], top?: number }} options
 * @returns {{ totalMs: number, windowed: boolean, groups: {name: string, ms: number, pct: number}[], functions: {name: string, module: string, ms: number}[] }}
 */
export function summarizeProfile(profile, options = {}) {
  const { bundleText = '', bundleUrlSuffix, windowUs, top = 12 } = options;
  const map = bundleModuleMap(bundleText);
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let t = profile.startTime ?? 0;
  // Only keep the window when it overlaps the profile (clocks agree); else use everything.
  const useWindow = Array.isArray(windowUs) && windowUs[0] < (profile.endTime ?? 0) && windowUs[1] > (profile.startTime ?? 0);
  for (let i = 0; i < samples.length; i++) {
    t += deltas[i] ?? 0;
    // A sample's time is the interval until the next sample.
    const dt = deltas[i + 1] ?? 0;
    if (useWindow && (t < windowUs[0] || t > windowUs[1])) continue;
    selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + dt);
  }
  const groups = new Map();
  const functions = new Map();
  let total = 0;
  for (const [id, us] of selfUs) {
    const node = nodes.get(id);
    if (!node || us <= 0) continue;
    const frame = node.callFrame ?? {};
    if (frame.functionName === '(idle)') continue;
    const { group, module } = classify(frame, bundleUrlSuffix, map);
    total += us;
    groups.set(group, (groups.get(group) ?? 0) + us);
    const key = `${frame.functionName || '(anonymous)'}\u0000${module}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
  }
  const ms = (us) => Math.round(us / 10) / 100;
  return {
    totalMs: ms(total),
    windowed: useWindow,
    groups: [...groups].sort((a, b) => b[1] - a[1]).slice(0, top)
      .map(([name, us]) => ({ name, ms: ms(us), pct: total > 0 ? Math.round((1000 * us) / total) / 10 : 0 })),
    functions: [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)
      .map(([key, us]) => { const [name, module] = key.split('\u0000'); return { name, module, ms: ms(us) }; }),
  };
}
