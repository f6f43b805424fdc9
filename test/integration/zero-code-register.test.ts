// The `otel-lambda-flush/register` preload, as users write it in NODE_OPTIONS (a bare package
// specifier, resolved from the function's directory): providers from OTEL_* before the handler
// module runs, for a handler wrapped in code that never calls setupTelemetry().
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { invocationAndChild, requireBuild, startZeroCode, zeroFixtures, type Pair } from './zero-code-helpers.js';

const INVOKES = 3;
let pair: Pair | undefined;

afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

describe('register preload', () => {
  it.each([
    ['--import', '--import otel-lambda-flush/register'],
    ['--require', '--require otel-lambda-flush/register'],
  ])('NODE_OPTIONS=%s: every invoke’s spans at the freeze', async (_name, nodeOptions) => {
    requireBuild();
    pair = await startZeroCode({ taskRoot: join(zeroFixtures, 'register'), handler: 'index.handler', execWrapper: undefined, env: { NODE_OPTIONS: nodeOptions } });
    for (let n = 0; n < INVOKES; n++) {
      const r = await pair.sim.invoke({ n });
      expect(r.status, JSON.stringify(r.error)).toBe('success');
      const { invocation, child } = invocationAndChild(pair.atFreeze.get(r.requestId) ?? [], r.requestId);
      expect(invocation, `invoke ${n}: invocation span at the freeze`).toBeDefined();
      expect(child, `invoke ${n}: child span at the freeze`).toBeDefined();
    }
  });

  it.each(['--import', '--require'])('%s: the providers exist before the handler module runs (a module-scope meter counts)', async (flag) => {
    requireBuild();
    pair = await startZeroCode({ taskRoot: join(zeroFixtures, 'register'), handler: 'index.handler', execWrapper: undefined, env: { NODE_OPTIONS: `${flag} otel-lambda-flush/register` } });
    for (let n = 0; n < INVOKES; n++) expect((await pair.sim.invoke({ n })).status).toBe('success');
    const total = pair.rx.metrics('zero_code.invocations').reduce((sum, p) => sum + Number((p as { value?: number }).value ?? 0), 0);
    expect(total).toBe(INVOKES);
  });

  it('without the preload the same handler exports nothing (the control)', async () => {
    requireBuild();
    pair = await startZeroCode({ taskRoot: join(zeroFixtures, 'register'), handler: 'index.handler', execWrapper: undefined });
    expect((await pair.sim.invoke({ n: 0 })).status).toBe('success');
    expect(pair.rx.spans()).toEqual([]);
  });
});
