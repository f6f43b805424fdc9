// Writes the README's environment-variable table from src/config/variables.ts (the one table
// the library reads through) and src/config/variable-docs.ts (what each means), between <!-- env:start --> and <!-- env:end -->.
//   node scripts/env-table.mjs          rewrite README.md
//   node scripts/env-table.mjs --check  exit 1 when README.md is out of date
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const START = '<!-- env:start -->';
export const END = '<!-- env:end -->';

/** The table's variables with their meanings (variable-docs.ts), loaded from the TypeScript source. */
export async function loadVars() {
  const load = async (file) => {
    const out = await build({ entryPoints: [join(root, file)], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'error' });
    return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
  };
  const [{ VARS }, { VAR_DOCS }] = await Promise.all([load('src/config/variables.ts'), load('src/config/variable-docs.ts')]);
  return Object.fromEntries(Object.entries(VARS).map(([key, v]) => [key, { ...v, doc: VAR_DOCS[key] }]));
}

function defaultOf(v) {
  if (v.default === undefined) return v.kind === 'enum' ? 'see meaning' : '—';
  if (Array.isArray(v.default)) return `\`${v.default.join(',')}\``;
  return `\`${v.default}\``;
}

function valuesOf(v) {
  switch (v.kind) {
    case 'bool': return '`true` / `false`';
    case 'int': return v.max >= Number.MAX_SAFE_INTEGER ? `integer ≥ ${v.min}` : `integer ${v.min}–${v.max}${v.forbidden?.length ? ` except ${v.forbidden.join(', ')}` : ''}`;
    case 'enum': return v.values.map((x) => `\`${x}\``).join(', ');
    case 'list': return 'comma-separated list';
    default: return 'string';
  }
}

/** The markdown table for `vars` (loadVars(): the table with each variable's `doc`). */
export function renderEnvTable(vars) {
  const esc = (s) => s.replace(/\|/g, '\\|');
  const rows = Object.values(vars).map((v) => `| \`${v.name}\` | ${valuesOf(v)} | ${defaultOf(v)} | ${esc(v.doc)} |`);
  return ['| variable | values | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

/** README text with the table between the markers replaced. */
export function withEnvTable(readme, table) {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md has no ${START} … ${END} block`);
  return `${readme.slice(0, a + START.length)}\n${table}\n${readme.slice(b)}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const path = join(root, 'README.md');
  const readme = readFileSync(path, 'utf8');
  const next = withEnvTable(readme, renderEnvTable(await loadVars()));
  if (process.argv.includes('--check')) {
    if (next !== readme) {
      console.error('README.md environment-variable table is out of date: run node scripts/env-table.mjs');
      process.exit(1);
    }
  } else if (next !== readme) {
    writeFileSync(path, next);
    console.log('README.md environment-variable table updated');
  }
}
