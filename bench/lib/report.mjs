// Turns the collected figures into one comparison table (console + Markdown) and the
// issue-6 target checks. Pure functions of the results object, so they are unit-testable.
import { ratio } from './stats.mjs';

const COLUMNS = ['bare', 'sync', 'after-response', 'peer'];

export function fmtNum(v, unit = '') {
  if (v === undefined || v === null || !Number.isFinite(v)) return 'n/a';
  if (Object.is(v, -0) || (Math.abs(v) < 0.005 && v < 0)) v = 0; // no "-0.00"
  const abs = Math.abs(v);
  const s = abs >= 100 ? v.toFixed(0) : abs >= 10 ? v.toFixed(1) : v.toFixed(2);
  return unit ? `${s} ${unit}` : s;
}

function fmtRatio(r) {
  return r === undefined ? '' : `×${r >= 10 ? r.toFixed(0) : r.toFixed(2)}`;
}

/** A cell: the value, then its ratio to bare and to the peer (when both exist). */
function cell(rows, id, pick, unit, { ratios = true } = {}) {
  const row = rows[id];
  if (!row) return 'n/a';
  if (row.unavailable) return `n/a (${row.unavailable})`;
  const v = pick(row);
  if (typeof v === 'string') return v;
  let text = fmtNum(v, unit);
  if (!ratios || !Number.isFinite(v)) return text;
  const parts = [];
  if (id !== 'bare') { const r = ratio(v, pick(rows.bare ?? {})); if (r !== undefined) parts.push(`${fmtRatio(r)} bare`); }
  if (id !== 'peer') { const r = ratio(v, pick(rows.peer ?? {})); if (r !== undefined) parts.push(`${fmtRatio(r)} peer`); }
  if (parts.length) text += ` (${parts.join(', ')})`;
  return text;
}

// Bytes → KB and KB → MB alike.
const kb = (b) => (Number.isFinite(b) ? b / 1024 : undefined);

function heapMarks(r, marks) {
  const h = r.rss?.heapKb;
  if (!h) return 'n/a';
  return `${marks.map((m) => fmtNum(kb(h[m]))).join(' / ')} MB`;
}

/** The metric lines of the table: [label, (rows, id) => cell text]. */
export function tableLines(results) {
  const rows = Object.fromEntries(results.rows.map((r) => [r.id, r]));
  const c = results.config;
  const addedCold = (r) => (Number.isFinite(r.cold?.initMs) && Number.isFinite(rows.bare?.cold?.initMs) ? r.cold.initMs - rows.bare.cold.initMs : undefined);
  const lines = [
    [`cold start, spawn → first /next (median of ${c.coldRuns})`, (id) => cell(rows, id, (r) => r.cold?.initMs, 'ms')],
    ['added cold start vs bare', (id) => {
      if (id === 'bare') return '—';
      const text = cell(rows, id, addedCold, 'ms', { ratios: false });
      const r = rows[id] && !rows[id].unavailable && id !== 'peer' ? ratio(addedCold(rows[id]), addedCold(rows.peer ?? {})) : undefined;
      return r === undefined ? text : `${text} (${fmtRatio(r)} peer's added)`;
    }],
    ['first invoke latency (median)', (id) => cell(rows, id, (r) => r.cold?.firstInvokeMs, 'ms')],
    ['first caller: init + first invoke (median of sums)', (id) => cell(rows, id, (r) => r.cold?.firstCallerMs, 'ms')],
    ['added init + first invoke vs bare', (id) => {
      if (id === 'bare') return '—';
      if (!rows[id] || rows[id].unavailable) return cell(rows, id, () => undefined);
      const f = firstCaller(results, id);
      return id === 'peer' ? fmtNum(f.added, 'ms') : `${fmtNum(f.added, 'ms')}${f.ratio === undefined ? '' : ` (${fmtRatio(f.ratio)} peer's added)`}`;
    }],
    [`warm latency p50, receiver 0 ms (${c.warmInvokes} invokes)`, (id) => cell(rows, id, (r) => r.warm?.immediate?.p50, 'ms')],
    ['warm latency p99, receiver 0 ms', (id) => cell(rows, id, (r) => r.warm?.immediate?.p99, 'ms')],
    ['billed duration p50, receiver 0 ms', (id) => cell(rows, id, (r) => r.warm?.immediate?.billedP50, 'ms')],
    [`warm latency p50, receiver ${c.delayMs} ms (${c.delayedInvokes} invokes)`, (id) => cell(rows, id, (r) => r.warm?.delayed?.p50, 'ms')],
    [`warm latency p99, receiver ${c.delayMs} ms`, (id) => cell(rows, id, (r) => r.warm?.delayed?.p99, 'ms')],
    [`billed duration p50, receiver ${c.delayMs} ms`, (id) => cell(rows, id, (r) => r.warm?.delayed?.billedP50, 'ms')],
    ['spans at receiver / invokes (warm, both phases)', (id) => cell(rows, id, (r) => (r.warm ? `${r.warm.spans} / ${r.warm.invokes}` : 'n/a'))],
    ['per-invoke CPU in-process, no-op exporters (µs)', (id) => cell(rows, id, (r) => r.micro?.cpuUs ?? r.micro?.note, 'µs')],
    ['bundle, minified', (id) => cell(rows, id, (r) => kb(r.bundle?.bytes), 'KB')],
    ['bundle, gzipped', (id) => cell(rows, id, (r) => kb(r.bundle?.gzipBytes), 'KB')],
    [`peak RSS (VmHWM) after ${c.rssMarks[1]} invokes`, (id) => cell(rows, id, (r) => kb(r.rss?.hwmMidKb), 'MB')],
    [`RSS growth ${c.rssMarks[0]} → ${c.rssMarks[1]} invokes (VmRSS, GC not forced)`, (id) => cell(rows, id, (r) => r.rss?.rssGrowthKbPerInvoke, 'KB/invoke', { ratios: false })],
    [`heap after a full GC at ${c.rssMarks.join(' / ')} invokes`, (id) => cell(rows, id, (r) => heapMarks(r, c.rssMarks))],
    [`heap growth after GC ${c.rssMarks[1]} → ${c.rssMarks[2]} invokes`, (id) => cell(rows, id, (r) => r.rss?.heapGrowthLateKbPerInvoke, 'KB/invoke', { ratios: false })],
  ];
  return lines.map(([label, f]) => [label, ...COLUMNS.map((id) => f(id))]);
}

export function headers(results) {
  const byId = Object.fromEntries(results.rows.map((r) => [r.id, r.label]));
  return ['metric', ...COLUMNS.map((id) => byId[id] ?? id)];
}

/** Plain-text table for the console. */
export function consoleTable(results) {
  const all = [headers(results), ...tableLines(results)];
  const widths = all[0].map((_, i) => Math.max(...all.map((r) => String(r[i]).length)));
  const line = (r) => r.map((v, i) => String(v).padEnd(widths[i])).join(' | ');
  return [line(all[0]), widths.map((w) => '-'.repeat(w)).join('-|-'), ...all.slice(1).map(line)].join('\n');
}

export function markdownTable(results) {
  const esc = (v) => String(v).replace(/\|/g, '\\|');
  const all = [headers(results), ...tableLines(results)];
  return [
    `| ${all[0].map(esc).join(' | ')} |`,
    `|${all[0].map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...all.slice(1).map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

/** Issue-6 targets, evaluated on this run's figures. */
export function targets(results) {
  // A column that did not run as itself (n/a) gives no figures to judge.
  const rows = Object.fromEntries(results.rows.filter((r) => !r.unavailable).map((r) => [r.id, r]));
  const init = (id) => rows[id]?.cold?.initMs;
  const out = [];
  const add = (name, value, ok, detail) => out.push({ name, value, ok: value === undefined ? undefined : ok, detail });
  for (const id of ['sync', 'after-response']) {
    const ours = init(id) - init('bare');
    const peers = init('peer') - init('bare');
    const share = ratio(ours, peers);
    add(`added cold start (${id}) ≤ 25% of the peer's added cold start`, share, share !== undefined && share <= 0.25,
      `${fmtNum(ours, 'ms')} vs peer ${fmtNum(peers, 'ms')} = ${share === undefined ? 'n/a' : `${(share * 100).toFixed(0)}%`}`);
    add(`added cold start (${id}) ideally ≤ 15 ms`, Number.isFinite(ours) ? ours : undefined, ours <= 15, fmtNum(ours, 'ms'));
  }
  const cpu = rows.sync?.micro?.cpuUs;
  const bareCpu = rows.bare?.micro?.cpuUs;
  const addedCpu = Number.isFinite(cpu) && Number.isFinite(bareCpu) ? cpu - bareCpu : undefined;
  add('per-invoke CPU of withFlush ≤ 20 µs (minus the bare call)', addedCpu, addedCpu <= 20, `${fmtNum(addedCpu, 'µs')} (withFlush ${fmtNum(cpu, 'µs')}, bare call ${fmtNum(bareCpu, 'µs')})`);
  const arP50 = rows['after-response']?.warm?.delayed?.p50;
  const bareP50 = rows.bare?.warm?.delayed?.p50;
  const diff = Number.isFinite(arP50) && Number.isFinite(bareP50) ? arP50 - bareP50 : undefined;
  add(`after-response warm p50 within 1 ms of bare at ${results.config.delayMs} ms receiver latency`, diff, diff <= 1, `${fmtNum(diff, 'ms')} (after-response ${fmtNum(arP50, 'ms')}, bare ${fmtNum(bareP50, 'ms')})`);
  const share = ratio(rows.sync?.bundle?.bytes, rows.peer?.bundle?.bytes);
  add('bundle ≤ 50% of the peer (minified)', share, share <= 0.5, share === undefined ? 'n/a' : `${(share * 100).toFixed(0)}%`);
  for (const id of ['sync', 'after-response']) {
    const r = rows[id]?.rss;
    const g = r?.heapGrowthLateKbPerInvoke;
    const [, b, c] = results.config.rssMarks;
    add(`no memory growth per invoke once warm (${id}; heap after full GC, ${b} → ${c} invokes, < 0.5 KB/invoke)`, g, g < 0.5,
      `${fmtNum(g, 'KB/invoke')} (VmRSS without forced GC grew ${fmtNum(r?.rssGrowthKbPerInvoke, 'KB/invoke')} over the first ${b} invokes)`);
  }
  return out;
}

const FIRST_CALLER_ROWS = ['bare', 'sync', 'after-response', 'peer', 'bare-cjs', 'sync-cjs', 'after-response-cjs', 'bare-unbundled', 'sync-unbundled', 'after-response-unbundled', 'zero-code', 'peer-unbundled'];

/** Init + first invoke over the baseline of the same packaging (bundled / unbundled). */
export function firstCaller(results, id) {
  const rows = Object.fromEntries(results.rows.filter((r) => !r.unavailable).map((r) => [r.id, r]));
  const row = rows[id];
  const base = rows[row?.baseline ?? ''];
  const fc = (r) => r?.cold?.firstCallerMs;
  const added = Number.isFinite(fc(row)) && Number.isFinite(fc(base)) ? fc(row) - fc(base) : undefined;
  const peer = rows[row?.peerId ?? ''];
  const peerBase = rows[peer?.baseline ?? ''];
  const peerAdded = Number.isFinite(fc(peer)) && Number.isFinite(fc(peerBase)) ? fc(peer) - fc(peerBase) : undefined;
  return { added, peerAdded, ratio: ratio(added, peerAdded) };
}

/** The first caller's wait per column (bundled and unbundled, zero-code), as Markdown. */
export function firstCallerTable(results) {
  const byId = Object.fromEntries(results.rows.map((r) => [r.id, r]));
  const out = [
    '| column | init (median) | first invoke (median) | init + first invoke (median of sums) | added over bare of the same packaging | ratio to the peer\'s added |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const id of FIRST_CALLER_ROWS) {
    const r = byId[id];
    if (!r) continue;
    if (r.unavailable) { out.push(`| ${r.label} | n/a (${r.unavailable}) | | | | |`); continue; }
    const f = firstCaller(results, id);
    const isBase = r.baseline === id;
    out.push(`| ${r.label} | ${fmtNum(r.cold?.initMs, 'ms')} | ${fmtNum(r.cold?.firstInvokeMs, 'ms')} | ${fmtNum(r.cold?.firstCallerMs, 'ms')} | ` +
      `${isBase ? '—' : fmtNum(f.added, 'ms')} | ${isBase || id.startsWith('peer') ? '—' : f.ratio === undefined ? 'n/a' : fmtRatio(f.ratio)} |`);
  }
  return out.join('\n');
}

/** Where import + wrap goes: the API's share, the library's code, and what 3 ms would allow. */
function importReason(m, byo) {
  const api = Number.isFinite(m['api-only']) && Number.isFinite(m.bare) ? m['api-only'] - m.bare : undefined;
  const own = Number.isFinite(m['lib-import-only']) && Number.isFinite(m['api-only']) ? m['lib-import-only'] - m['api-only'] : undefined;
  if (api === undefined || own === undefined) return '';
  const kb = byo?.libraryBytes ? byo.libraryBytes / 1024 : undefined;
  const perKb = kb && own > 0 ? own / kb : undefined;
  const budget = perKb && 3 - api > 0 ? (3 - api) / perKb : undefined;
  return ` — @opentelemetry/api alone +${fmtNum(api, 'ms')}; the library's own code +${fmtNum(own, 'ms')}` +
    (kb ? ` (compiling its ${fmtNum(kb, 'KB')} and resolving the options at wrap time)` : '') +
    (budget !== undefined ? `; at this rate 3 ms leaves room for about ${fmtNum(budget, 'KB')} of library code` : api >= 3 ? '; the API alone is over 3 ms here' : '');
}

/** What the bring-your-own-SDK share is made of, and what leaving the extension out would give. */
function byoReason(byo) {
  const ext = byo?.parts?.find((p) => p.name === 'extension')?.bytes;
  const total = byo?.parts?.reduce((a, p) => a + p.bytes, 0);
  if (!ext || !total) return '';
  const rest = byo.parts.filter((p) => p.name !== 'extension').slice(0, 4).map((p) => `${p.name} ${fmtNum(p.bytes / 1024, 'KB')}`).join(', ');
  return ` — the in-process extension is ${fmtNum(ext / 1024, 'KB')} of it (switched on at run time by OTEL_LAMBDA_EXTENSION, so a bundler cannot drop it); ` +
    `without it ${fmtNum((total - ext) / 1024, 'KB')}, the per-invoke core: ${rest}, ...`;
}

/** Issue-11 goals, evaluated on this run's figures. */
export function issue11Targets(results) {
  const rows = Object.fromEntries(results.rows.filter((r) => !r.unavailable).map((r) => [r.id, r]));
  const out = [];
  const add = (name, value, ok, detail) => out.push({ name, value, ok: value === undefined ? undefined : ok, detail });
  const rc = results.registerCost;
  for (const id of ['sync', 'after-response', 'sync-cjs', 'after-response-cjs', 'sync-unbundled', 'after-response-unbundled']) {
    const f = firstCaller(results, id);
    const worker = id === 'after-response-cjs' && f.ratio > 0.25 && rc?.workerMs
      ? ` — a CommonJS module cannot wait, so the extension registers from a worker thread (its start-up ${fmtNum(rc.workerMs, 'ms')} here vs ${fmtNum(rc.httpMs, 'ms')} for the main thread's HTTP round trip that an ES module awaiting setupTelemetry() pays)`
      : '';
    add(`added init + first invoke (${id}) ≤ 0.25 × the peer's`, f.ratio, f.ratio <= 0.25,
      `${fmtNum(f.added, 'ms')} vs peer ${fmtNum(f.peerAdded, 'ms')} = ${f.ratio === undefined ? 'n/a' : fmtRatio(f.ratio)}${worker}`);
  }
  const m = results.imports?.medianMs ?? {};
  const imp = Number.isFinite(m['lib-import-only']) && Number.isFinite(m.bare) ? m['lib-import-only'] - m.bare : undefined;
  const byo = results.byo;
  add('importing the library and wrapping a handler ≤ 3 ms over a bare module (bundled, minified)', imp, imp <= 3, fmtNum(imp, 'ms') + importReason(m, byo));
  add('bring-your-own SDK (withFlush only): the library\'s share of the bundle ≤ 40 KB minified', byo?.libraryBytes, byo?.libraryBytes <= 40 * 1024,
    byo?.libraryBytes === undefined ? 'n/a' : `${fmtNum(byo.libraryBytes / 1024, 'KB')} of ${fmtNum(byo.bytes / 1024, 'KB')} (the rest: @opentelemetry/api)` + byoReason(byo));
  const cpu = ratio(rows.sync?.micro?.cpuUs, rows.peer?.micro?.cpuUs);
  add('per-invoke CPU ≤ 0.75 × the peer\'s', cpu, cpu <= 0.75, `${fmtNum(rows.sync?.micro?.cpuUs, 'µs')} vs ${fmtNum(rows.peer?.micro?.cpuUs, 'µs')} = ${cpu === undefined ? 'n/a' : fmtRatio(cpu)}`);
  const p99 = ratio(rows.sync?.warm?.immediate?.p99, rows.peer?.warm?.immediate?.p99);
  add('warm p99 (sync, receiver 0 ms) ≤ the peer\'s', p99, p99 <= 1, `${fmtNum(rows.sync?.warm?.immediate?.p99, 'ms')} vs ${fmtNum(rows.peer?.warm?.immediate?.p99, 'ms')}`);
  for (const id of ['sync', 'after-response']) {
    const r = ratio(rows[id]?.rss?.hwmMidKb, rows.peer?.rss?.hwmMidKb);
    add(`peak RSS (${id}) ≤ the peer's`, r, r <= 1, `${fmtNum(kb(rows[id]?.rss?.hwmMidKb), 'MB')} vs ${fmtNum(kb(rows.peer?.rss?.hwmMidKb), 'MB')}`);
  }
  return out;
}
