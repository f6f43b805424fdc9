// bin/otel-lambda-flush-wrapper as a shell script: what it exports before `exec "$@"`, in each
// place it can live (the npm package's bin/, a node_modules/.bin symlink or copy, a layer's
// root), run with `env` as the "runtime command" so the result is the environment it hands over.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const source = fileURLToPath(new URL('../../../bin/otel-lambda-flush-wrapper', import.meta.url));
let root = '';

/** A fake package (the files the wrapper looks for) with the wrapper in its bin/. */
function fakePackage(dir: string): string {
  mkdirSync(join(dir, 'dist/esm/zero-code'), { recursive: true });
  writeFileSync(join(dir, 'dist/esm/zero-code/handler.js'), '');
  mkdirSync(join(dir, 'bin'), { recursive: true });
  copyFileSync(source, join(dir, 'bin/otel-lambda-flush-wrapper'));
  return dir;
}

function run(wrapper: string, env: Record<string, string>): { env: Record<string, string> } {
  const out = execFileSync(wrapper, ['env'], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const vars: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) vars[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return { env: vars };
}

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'otel-lambda-flush-wrapper-'))); // the wrapper resolves symlinks
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('otel-lambda-flush-wrapper', () => {
  it('npm package: _HANDLER points at the package’s handler module, the original is kept, the preload added', () => {
    const pkg = fakePackage(join(root, 'task/node_modules/otel-lambda-flush'));
    const { env } = run(join(pkg, 'bin/otel-lambda-flush-wrapper'), { _HANDLER: 'src/app.handler', NODE_OPTIONS: '--enable-source-maps' });
    expect(env._HANDLER).toBe(`${pkg}/dist/esm/zero-code/handler.handler`);
    expect(env.OTEL_LAMBDA_ORIGINAL_HANDLER).toBe('src/app.handler');
    expect(env.NODE_OPTIONS).toBe(`--import "${pkg}/dist/esm/zero-code/register.js" --enable-source-maps`);
  });

  it('node_modules/.bin, as a symlink or as a copy, finds the same package', () => {
    const bin = join(root, 'task/node_modules/.bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync('../otel-lambda-flush/bin/otel-lambda-flush-wrapper', join(bin, 'linked'));
    copyFileSync(source, join(bin, 'copied'));
    for (const name of ['linked', 'copied']) {
      expect(run(join(bin, name), { _HANDLER: 'index.handler' }).env._HANDLER, name).toBe(`${root}/task/node_modules/otel-lambda-flush/dist/esm/zero-code/handler.handler`);
    }
  });

  it('layer: the wrapper at the root finds nodejs/node_modules/otel-lambda-flush', () => {
    const opt = join(root, 'opt');
    const pkg = fakePackage(join(opt, 'nodejs/node_modules/otel-lambda-flush'));
    copyFileSync(source, join(opt, 'otel-lambda-flush-wrapper'));
    const { env } = run(join(opt, 'otel-lambda-flush-wrapper'), { _HANDLER: 'index.handler' });
    expect(env._HANDLER).toBe(`${pkg}/dist/esm/zero-code/handler.handler`);
    expect(env.NODE_OPTIONS).toBe(`--import "${pkg}/dist/esm/zero-code/register.js"`);
  });

  it('run twice: the first original handler and a single preload are kept', () => {
    const wrapper = join(root, 'task/node_modules/otel-lambda-flush/bin/otel-lambda-flush-wrapper');
    const once = run(wrapper, { _HANDLER: 'index.handler' }).env;
    const twice = run(wrapper, { _HANDLER: once._HANDLER!, OTEL_LAMBDA_ORIGINAL_HANDLER: once.OTEL_LAMBDA_ORIGINAL_HANDLER!, NODE_OPTIONS: once.NODE_OPTIONS! }).env;
    expect(twice).toMatchObject({ _HANDLER: once._HANDLER, OTEL_LAMBDA_ORIGINAL_HANDLER: 'index.handler', NODE_OPTIONS: once.NODE_OPTIONS });
  });

  it('OTEL_SDK_DISABLED=true, no package beside it, or no _HANDLER: the command runs unchanged', () => {
    const wrapper = join(root, 'task/node_modules/otel-lambda-flush/bin/otel-lambda-flush-wrapper');
    expect(run(wrapper, { _HANDLER: 'index.handler', OTEL_SDK_DISABLED: 'TRUE' }).env).toMatchObject({ _HANDLER: 'index.handler' });
    expect(run(wrapper, { _HANDLER: 'index.handler', OTEL_SDK_DISABLED: 'TRUE' }).env.NODE_OPTIONS).toBeUndefined();
    const lonely = join(root, 'lonely');
    mkdirSync(lonely);
    copyFileSync(source, join(lonely, 'otel-lambda-flush-wrapper'));
    const alone = run(join(lonely, 'otel-lambda-flush-wrapper'), { _HANDLER: 'index.handler' }).env;
    expect(alone._HANDLER).toBe('index.handler');
    expect(alone.OTEL_LAMBDA_ORIGINAL_HANDLER).toBeUndefined();
    expect(run(wrapper, {}).env._HANDLER).toBeUndefined();
  });
});
