// Zero-code activation through the simulator and the real runtime client (Node 24), with
// AWS_LAMBDA_EXEC_WRAPPER = the package's wrapper: unmodified handlers in every shape the
// runtime loads (ESM .mjs, .js under "type": "module", CommonJS with a module-scope meter,
// esbuild bundles in both formats, response streaming, a nested folder with a nested export).
// Every invoke's invocation span and the handler's own child span are at the receiver when the
// process is frozen; the module-scope counter counts every invoke.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LambdaSimulatorError } from '../../src/testing/index.js';
import { invocationAndChild, repoRoot, requireBuild, startZeroCode, zeroFixtures, type Pair } from './zero-code-helpers.js';

const INVOKES = 5;

interface Variant {
  name: string;
  taskRoot: () => string;
  handler: string;
  /** The handler counts its invokes with a module-scope counter. */
  counts?: boolean;
  streaming?: boolean;
  /** Checks the response of invoke n. */
  response: (n: number) => unknown;
}

// Bundles live outside the repository: nothing they did not inline could be found.
let bundleDir = '';

const variants: Variant[] = [
  { name: 'ESM (.mjs)', taskRoot: () => join(zeroFixtures, 'esm'), handler: 'index.handler', response: (n) => ({ format: 'esm', n }) },
  { name: 'ESM (.js, "type": "module")', taskRoot: () => join(zeroFixtures, 'esm-js'), handler: 'app.handler', response: (n) => ({ format: 'esm-js', n }) },
  {
    name: 'CommonJS (.js, "type": "commonjs") with a module-scope meter',
    taskRoot: () => join(zeroFixtures, 'cjs'),
    handler: 'index.handler',
    counts: true,
    // The function sees its own _HANDLER, not the wrapper's.
    response: (n) => ({ format: 'cjs', n, handlerEnv: 'index.handler' }),
  },
  { name: 'esbuild bundle, --format=cjs', taskRoot: () => bundleDir, handler: 'bundle-cjs.handler', counts: true, response: (n) => ({ format: 'bundle', n }) },
  { name: 'esbuild bundle, --format=esm', taskRoot: () => bundleDir, handler: 'bundle-esm.handler', counts: true, response: (n) => ({ format: 'bundle', n }) },
  { name: 'response streaming', taskRoot: () => join(zeroFixtures, 'stream'), handler: 'index.handler', streaming: true, response: () => 'chunk-0;chunk-1;chunk-2;' },
  { name: 'nested folder and nested export', taskRoot: () => join(zeroFixtures, 'nested'), handler: 'src/handlers/api.routes.get', response: (n) => ({ format: 'nested', n }) },
];

beforeAll(async () => {
  requireBuild();
  bundleDir = mkdtempSync(join(tmpdir(), 'otel-lambda-flush-zero-code-'));
  const common = { bundle: true, platform: 'node', target: 'node22', logLevel: 'error', write: true } as const;
  const entryPoints = [join(zeroFixtures, 'bundle-src', 'app.mjs')];
  await build({ ...common, entryPoints, format: 'cjs', outfile: join(bundleDir, 'bundle-cjs.cjs') });
  await build({ ...common, entryPoints, format: 'esm', outfile: join(bundleDir, 'bundle-esm.mjs') });
});

afterAll(() => {
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
});

describe.each(variants)('zero-code: $name', (variant) => {
  let pair: Pair | undefined;

  beforeAll(async () => {
    pair = await startZeroCode({ taskRoot: variant.taskRoot(), handler: variant.handler });
  });
  afterAll(async () => {
    await pair?.close();
  });

  it(`${INVOKES} invokes: the invocation span and the handler's child span at the receiver at each freeze`, async () => {
    const { sim, rx, atFreeze } = pair!;
    for (let n = 0; n < INVOKES; n++) {
      const r = await sim.invoke({ n });
      const where = `invoke ${n}: ${JSON.stringify(r.error)}\n${sim.logs.slice(-10).join('\n')}`;
      expect(r.status, where).toBe('success');
      expect(r.response, where).toEqual(variant.response(n));
      expect(r.frozen).toBe(true);
      const { invocation, child } = invocationAndChild(atFreeze.get(r.requestId) ?? [], r.requestId);
      expect(invocation, `${where}: invocation span at the freeze`).toBeDefined();
      expect(child, `${where}: the handler's child span at the freeze`).toBeDefined();
      expect(invocation!.attributes['faas.coldstart']).toBe(n === 0);
    }
    if (variant.counts) {
      const total = rx.metrics('zero_code.invocations').reduce((sum, p) => sum + Number((p as { value?: number }).value ?? 0), 0);
      expect(total, 'the module-scope counter counted every invoke').toBe(INVOKES);
    }
  });
});

describe('zero-code: the control', () => {
  it('the same unmodified handler without the wrapper sends no span (the spans above are the wrapper’s doing)', async () => {
    const pair = await startZeroCode({ taskRoot: join(zeroFixtures, 'esm'), handler: 'index.handler', execWrapper: undefined });
    try {
      const r = await pair.sim.invoke({ n: 0 });
      expect(r.status).toBe('success');
      expect(pair.rx.spans()).toEqual([]);
    } finally {
      await pair.close();
    }
  });
});

describe('zero-code: a handler already wrapped in code', () => {
  it('gets one invocation span per invoke, not two', async () => {
    const pair = await startZeroCode({ taskRoot: join(zeroFixtures, 'register'), handler: 'index.handler' });
    try {
      for (let n = 0; n < 2; n++) {
        const r = await pair.sim.invoke({ n });
        expect(r.status, JSON.stringify(r.error)).toBe('success');
        const spans = pair.atFreeze.get(r.requestId) ?? [];
        expect(spans.filter((s) => s.attributes['faas.invocation_id'] === r.requestId)).toHaveLength(1);
        expect(invocationAndChild(spans, r.requestId).child).toBeDefined();
      }
    } finally {
      await pair.close();
    }
  });
});

describe('zero-code: handler redirect, without the wrapper', () => {
  // For functions whose AWS_LAMBDA_EXEC_WRAPPER is taken: the function's handler setting names
  // the library's handler module, OTEL_LAMBDA_ORIGINAL_HANDLER the function's own.
  const redirected = `${repoRoot}dist/esm/zero-code/handler.handler`;

  it('works when OTEL_LAMBDA_ORIGINAL_HANDLER names the function handler', async () => {
    const pair = await startZeroCode({ taskRoot: join(zeroFixtures, 'cjs'), handler: redirected, execWrapper: undefined, env: { OTEL_LAMBDA_ORIGINAL_HANDLER: 'index.handler' } });
    try {
      const r = await pair.sim.invoke({ n: 1 });
      expect(r.response).toEqual({ format: 'cjs', n: 1, handlerEnv: 'index.handler' });
      expect(invocationAndChild(pair.atFreeze.get(r.requestId) ?? [], r.requestId).child).toBeDefined();
    } finally {
      await pair.close();
    }
  });

  it('fails init at once when it names the zero-code handler itself', async () => {
    const error = await startZeroCode({ taskRoot: join(zeroFixtures, 'cjs'), handler: redirected, execWrapper: undefined, env: { OTEL_LAMBDA_ORIGINAL_HANDLER: redirected } }).then(
      async (pair) => {
        await pair.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect((error as LambdaSimulatorError).lambdaError?.errorMessage).toMatch(/names the zero-code handler itself/);
  });

  it('fails init with a message saying what is missing when it is not set', async () => {
    const error = await startZeroCode({ taskRoot: join(zeroFixtures, 'cjs'), handler: redirected, execWrapper: undefined }).then(
      async (pair) => {
        await pair.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LambdaSimulatorError);
    expect((error as LambdaSimulatorError).lambdaError.errorType).toBe('Runtime.HandlerNotFound');
    expect((error as LambdaSimulatorError).lambdaError.errorMessage).toMatch(/OTEL_LAMBDA_ORIGINAL_HANDLER is not set/);
  });
});

describe('zero-code: configured by environment only', () => {
  it('OTEL_LAMBDA_EXTENSION + OTEL_LAMBDA_FLUSH_MODE=after-response: the extension registers, spans still at each freeze', async () => {
    const pair = await startZeroCode({
      taskRoot: join(zeroFixtures, 'esm'),
      handler: 'index.handler',
      env: { OTEL_LAMBDA_EXTENSION: 'true', OTEL_LAMBDA_FLUSH_MODE: 'after-response' },
    });
    try {
      expect(pair.sim.extensions.map((e) => ({ internal: e.internal, events: e.events }))).toEqual([{ internal: true, events: ['INVOKE'] }]);
      for (let n = 0; n < 3; n++) {
        const r = await pair.sim.invoke({ n });
        expect(r.status, JSON.stringify(r.error)).toBe('success');
        const { invocation, child } = invocationAndChild(pair.atFreeze.get(r.requestId) ?? [], r.requestId);
        expect(invocation, `invoke ${n}`).toBeDefined();
        expect(child, `invoke ${n}`).toBeDefined();
      }
    } finally {
      await pair.close();
    }
  });
});

describe('zero-code: Lambda Managed Instances (handlers in the runtime’s worker threads)', () => {
  it('each worker thread loads the wrapped handler with its own providers: every concurrent invoke’s spans, every count', async () => {
    const pair = await startZeroCode({
      taskRoot: join(zeroFixtures, 'cjs'),
      handler: 'index.handler',
      maxConcurrency: 2,
      env: { AWS_LAMBDA_NODEJS_WORKER_COUNT: '2' },
    });
    try {
      const results = await Promise.all([0, 1, 2, 3].map((n) => pair.sim.invoke({ n })));
      for (const r of results) expect(r.status, JSON.stringify(r.error)).toBe('success');
      // No freeze here, and no response waits for a flush (background mode): the background flush sends them.
      await pair.rx.waitFor((rx) => results.every((r) => invocationAndChild(rx.spans(), r.requestId).child !== undefined), 10_000);
      const total = () => pair.rx.metrics('zero_code.invocations').reduce((sum, p) => sum + Number((p as { value?: number }).value ?? 0), 0);
      await pair.rx.waitFor(() => total() >= 4, 10_000).catch(() => undefined);
      expect(total()).toBe(4);
    } finally {
      await pair.close();
    }
  });
});
