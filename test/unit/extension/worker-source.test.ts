// The worker's source is inlined into the library as a string and compiled at every cold start
// that runs the extension: it must carry only the worker's own code (no configuration table,
// no OpenTelemetry), and stay small.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs build helper without types
import { buildWorkerSource } from '../../../scripts/worker-source.mjs';

describe('worker source', () => {
  const source = (buildWorkerSource as () => string)();

  it("does not carry the configuration table's documentation", () => {
    expect(source).not.toContain('OTEL_LAMBDA_FLUSH_TIMEOUT_MS');
    expect(source).not.toContain('OTEL_LAMBDA_EXTENSION');
  });

  it('carries no OpenTelemetry package', () => {
    expect(source).not.toMatch(/@opentelemetry\//);
  });

  it('stays small (minified, bytes)', () => {
    expect(source.length).toBeLessThan(16_000);
  });
});

describe("the extension's core in the main bundle", () => {
  it('imports no networking built-in statically (they would load at every import of the library, extension or not)', () => {
    const dir = fileURLToPath(new URL('../../../src/extension/', import.meta.url));
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const eager = files.filter((f) => /^import (?!type )[^;]*from 'node:(http|dns|net|crypto)'/m.test(readFileSync(join(dir, f), 'utf8')));
    expect(files.length).toBeGreaterThan(10);
    expect(eager).toEqual([]);
  });
});
