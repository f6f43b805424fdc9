// The README's environment-variable table is generated from src/config/variables.ts; this
// fails when a variable was added or changed without `node scripts/env-table.mjs`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VAR_DOCS } from '../../src/config/variable-docs.js';
import { VARS } from '../../src/config/variables.js';
// @ts-expect-error plain .mjs script without types
import { END, START, renderEnvTable, withEnvTable } from '../../scripts/env-table.mjs';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README environment-variable table', () => {
  it('is up to date with src/config/variables.ts (run: node scripts/env-table.mjs)', () => {
    expect(readme).toContain(START);
    expect(readme).toContain(END);
    const documented = Object.fromEntries(Object.entries(VARS).map(([k, v]) => [k, { ...v, doc: VAR_DOCS[k as keyof typeof VARS] }]));
    expect(withEnvTable(readme, renderEnvTable(documented))).toBe(readme);
  });

  it('names every variable of the table', () => {
    for (const v of Object.values(VARS)) expect(readme).toContain(`| \`${v.name}\` |`);
  });
});
