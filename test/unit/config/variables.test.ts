// Every environment variable of the table, with valid, invalid and boundary values, and the one
// warning each bad value gets (naming the variable). Walks VARS, so a new variable is covered.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VAR_DOCS } from '../../../src/config/variable-docs.js';
import { readVar, VARS, type EnvVar } from '../../../src/config/variables.js';
import { resetWarnings } from '../../../src/config/warnings.js';

let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  resetWarnings();
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

type Case = { raw: string; expected: unknown; warns: RegExp | null };

function casesOf(v: EnvVar): Case[] {
  switch (v.kind) {
    case 'bool':
      return [
        { raw: 'true', expected: true, warns: null },
        { raw: ' TRUE ', expected: true, warns: null },
        { raw: '1', expected: true, warns: null },
        { raw: 'false', expected: false, warns: null },
        { raw: '0', expected: false, warns: null },
        { raw: '', expected: v.default, warns: null },
        { raw: 'yes', expected: v.default, warns: new RegExp(`${v.name}="yes" is not true/false`) },
      ];
    case 'int': {
      const cases: Case[] = [
        { raw: String(v.min), expected: v.min, warns: null },
        { raw: String(v.max), expected: v.max, warns: null },
        { raw: String(v.default), expected: v.default, warns: null },
        { raw: 'ten', expected: v.default, warns: new RegExp(`${v.name}="ten" is not a whole number; using the default ${v.default}`) },
        { raw: '1.5', expected: v.default, warns: new RegExp(`${v.name}="1.5" is not a whole number`) },
      ];
      if (v.min > 0 || v.min === 0) cases.push({ raw: String(v.min - 1), expected: v.min, warns: new RegExp(`${v.name}=${v.min - 1} is outside ${v.min}\\.\\.${v.max}; using ${v.min}`) });
      if (v.max < Number.MAX_SAFE_INTEGER) cases.push({ raw: String(v.max + 1), expected: v.max, warns: new RegExp(`${v.name}=${v.max + 1} is outside`) });
      for (const f of v.forbidden ?? []) cases.push({ raw: String(f), expected: v.default, warns: new RegExp(`${v.name}=${f} is not allowed`) });
      return cases;
    }
    case 'enum':
      return [
        ...v.values.map((x) => ({ raw: x.toUpperCase(), expected: x, warns: null })),
        { raw: 'bogus', expected: v.default, warns: new RegExp(`${v.name}="bogus" is not one of`) },
      ];
    case 'list':
      return [
        { raw: ' a , b ', expected: ['a', 'b'], warns: null },
        { raw: ',,', expected: v.default, warns: null },
        { raw: '', expected: v.default, warns: null },
      ];
    case 'string':
      return [
        { raw: ' x ', expected: 'x', warns: null },
        { raw: '', expected: v.default, warns: null },
      ];
  }
}

const rows = Object.values(VARS).flatMap((v) => casesOf(v as EnvVar).map((c) => [v.name, c.raw, v, c] as const));

describe('every environment variable', () => {
  it('the table documents every variable', () => {
    for (const [key, v] of Object.entries(VARS)) {
      expect(v.name).toMatch(/^OTEL_/);
      expect(VAR_DOCS[key as keyof typeof VARS].length).toBeGreaterThan(10);
    }
    expect(Object.keys(VAR_DOCS).sort()).toEqual(Object.keys(VARS).sort());
  });

  it.each(rows)('%s=%j', (_name, raw, v, c) => {
    expect(readVar({ [v.name]: raw }, v as never)).toEqual(c.expected);
    readVar({ [v.name]: raw }, v as never);
    if (c.warns === null) expect(warn).not.toHaveBeenCalled();
    else {
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toMatch(c.warns);
    }
  });

  it('unset → the default, silently', () => {
    for (const v of Object.values(VARS)) expect(readVar({}, v as never)).toEqual((v as { default?: unknown }).default);
    expect(warn).not.toHaveBeenCalled();
  });
});
