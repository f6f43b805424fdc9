// The published typings (dist/**/*.d.ts and .d.cts) as a TypeScript consumer sees them: a tiny
// consumer project outside the repository, with otel-lambda-flush linked into its node_modules,
// type-checked with `tsc --noEmit` as an ESM (.mts) and a CommonJS (.cts) module under
// "module": "nodenext", and as a bundler-resolved module. The consumers carry @ts-expect-error
// lines, so typings that resolved to `any` (or not at all) fail the check too.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../fixtures/compat/nodes.js';

// Uses what both entry points export, typed end to end.
const ESM_CONSUMER = `
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { otelFlush, setupTelemetry, withFlush, type FlushOutcome, type OtelLambdaOptions } from 'otel-lambda-flush';
import { fakeContext, LambdaSimulator, OtlpReceiver, type ReceivedSpan } from 'otel-lambda-flush/testing';

const options: OtelLambdaOptions = { flushTimeoutMs: 500 };
const telemetry = await setupTelemetry({ serviceName: 'consumer' });
await telemetry.shutdown();

export const handler = withFlush(async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
  return { statusCode: 200, body: event.rawPath + context.awsRequestId };
}, options);
export const middleware = otelFlush(options);

const result: Promise<APIGatewayProxyStructuredResultV2> = handler({} as APIGatewayProxyEventV2, fakeContext({ timeoutMs: 100 }));
void result;
const rx: OtlpReceiver = await OtlpReceiver.start();
const spans: ReceivedSpan[] = rx.spans();
void spans;
const sim: Promise<LambdaSimulator> = LambdaSimulator.start({ taskRoot: '/tmp', handler: 'index.handler' });
void sim;
export type Outcome = FlushOutcome;

// @ts-expect-error withFlush takes a function
withFlush(42);
// @ts-expect-error the wrapper keeps the handler's type
export const wrong: (event: string) => Promise<string> = withFlush(async (event: number) => event);
// @ts-expect-error not an export of the package
import { notAnExport } from 'otel-lambda-flush';
void notAnExport;
`;

// What a bundler user (esbuild) writes on top, with middy; @middy/core 7's own typings need an
// optional peer, so this project skips lib checks as such projects do.
const MIDDY_CONSUMER = `
import middy from '@middy/core';
export const viaMiddy = middy(async (event: { n: number }) => event.n + 1).use(otelFlush(options));
`;

// The two CommonJS forms: import = require(), and an import declaration compiled to require().
const CJS_CONSUMER = `
import lib = require('otel-lambda-flush');
import testing = require('otel-lambda-flush/testing');
import { withFlush, type OtelLambdaOptions } from 'otel-lambda-flush';
import type { Context } from 'aws-lambda';

const options: OtelLambdaOptions = { flushTimeoutMs: 500 };
void lib.setupTelemetry();
export const handler = lib.withFlush(async (event: { n: number }, context: Context) => ({ n: event.n, id: context.awsRequestId }), options);
export const same = withFlush(async (event: { n: number }, _context: Context) => event.n);
const n: Promise<number> = same({ n: 1 }, testing.fakeContext());
void n;
const middleware: lib.OtelFlushMiddleware = lib.otelFlush();
void middleware;

// @ts-expect-error withFlush takes a function
lib.withFlush('handler');
// @ts-expect-error fakeContext options are typed
testing.fakeContext({ timeoutMs: 'soon' });
`;

const COMPILER_OPTIONS = {
  target: 'es2022',
  lib: ['es2023'],
  strict: true,
  noEmit: true,
  skipLibCheck: false,
  types: ['node'],
};

let dir = '';

function tsc(project: string): Promise<{ code: number; output: string }> {
  const bin = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, '-p', project, '--listFiles'], { cwd: dir, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'otel-lambda-flush-types-'));
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, '@middy'), { recursive: true });
  symlinkSync(repoRoot, join(modules, 'otel-lambda-flush'), 'dir');
  symlinkSync(join(repoRoot, 'node_modules', '@types'), join(modules, '@types'), 'dir');
  symlinkSync(join(repoRoot, 'node_modules', '@middy', 'core'), join(modules, '@middy', 'core'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  writeFileSync(join(dir, 'consumer-esm.mts'), ESM_CONSUMER);
  writeFileSync(join(dir, 'consumer-cjs.cts'), CJS_CONSUMER);
  writeFileSync(join(dir, 'consumer-bundler.ts'), ESM_CONSUMER + MIDDY_CONSUMER);
  const nodenext = { compilerOptions: { ...COMPILER_OPTIONS, module: 'nodenext', moduleResolution: 'nodenext' }, files: ['consumer-esm.mts', 'consumer-cjs.cts'] };
  const bundler = { compilerOptions: { ...COMPILER_OPTIONS, skipLibCheck: true, module: 'esnext', moduleResolution: 'bundler' }, files: ['consumer-bundler.ts'] };
  writeFileSync(join(dir, 'tsconfig.nodenext.json'), JSON.stringify(nodenext));
  writeFileSync(join(dir, 'tsconfig.bundler.json'), JSON.stringify(bundler));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('published typings', () => {
  it('"module": "nodenext": the ESM consumer (import) and the CJS consumer (require) type-check against dist/', async () => {
    const { code, output } = await tsc('tsconfig.nodenext.json');
    const diagnostics = output.split('\n').filter((l) => l.includes('error TS')).join('\n');
    expect(diagnostics).toBe('');
    expect(code).toBe(0);
    // Each consumer got the typings of its own module system.
    for (const file of ['dist/esm/index.d.ts', 'dist/esm/testing/index.d.ts', 'dist/cjs/index.d.cts', 'dist/cjs/testing/index.d.cts']) {
      expect(output, `tsc used ${file}`).toContain(join(repoRoot, file));
    }
  }, 90_000);

  it('"moduleResolution": "bundler": the ESM consumer, with middy, type-checks against dist/', async () => {
    const { code, output } = await tsc('tsconfig.bundler.json');
    const diagnostics = output.split('\n').filter((l) => l.includes('error TS')).join('\n');
    expect(diagnostics).toBe('');
    expect(code).toBe(0);
    expect(output).toContain(join(repoRoot, 'dist/esm/index.d.ts'));
  }, 90_000);
});
