// The bundlers' SDK (sdk-static.ts: named imports) must hold every part setupTelemetry()'s code
// reads, or a bundled function would fail only when, say, OTEL_TRACES_SAMPLER picks a sampler.
// Walks src/providers for `sdk.<package>.<Name>` and the per-signal builders' `sdk.<Name>`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSdkSync as loadNamespaces } from '../../../src/providers/sdk-load.js';
import { loadSdkSync as loadStatic } from '../../../src/providers/sdk-static.js';

const dir = fileURLToPath(new URL('../../../src/providers/', import.meta.url));
const source = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
const ALL = { traces: true, metrics: true, logs: true };

describe('the SDK for bundlers', () => {
  const sdk = loadStatic(ALL) as unknown as Record<string, Record<string, unknown>>;
  const namespaces = loadNamespaces(ALL) as unknown as Record<string, Record<string, unknown>>;

  it('has every sdk.<package>.<Name> the providers code reads, the same objects as the packages', () => {
    const reads = [...source.matchAll(/sdk\.(resources|core|hooks|apiLogs)\.([A-Za-z_0-9]+)/g)].map((m) => [m[1]!, m[2]!] as const);
    expect(reads.length).toBeGreaterThan(4);
    for (const [pkg, name] of reads) {
      expect(sdk[pkg]?.[name], `sdk.${pkg}.${name}`).toBeDefined();
      expect(sdk[pkg]?.[name]).toBe(namespaces[pkg]?.[name]);
    }
  });

  it('has every class and enum the per-signal builders and exporters read', () => {
    const names = new Set([...source.matchAll(/\bsdk\.([A-Z][A-Za-z0-9]+)/g)].map((m) => m[1]!));
    // and what is destructured from a signal's SDK: `const { A, B } = sdk;`
    for (const m of source.matchAll(/const \{([^}]+)\} = sdk;/g)) for (const n of m[1]!.split(',')) names.add(n.trim());
    expect(names.size).toBeGreaterThan(8);
    for (const name of names) {
      const found = ['trace', 'metrics', 'logs'].filter((s) => sdk[s]?.[name] !== undefined);
      expect(found, `sdk.${name}`).toHaveLength(1);
      expect(sdk[found[0]!]![name]).toBe(namespaces[found[0]!]![name]);
    }
  });

  it('gives only the signals wanted', () => {
    expect(Object.keys(loadStatic({ traces: true, metrics: false, logs: false }) ?? {}).sort()).toEqual(['apiLogs', 'core', 'hooks', 'resources', 'trace']);
  });
});
