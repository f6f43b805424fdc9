// The zero-code loader against the rules of aws-lambda-ric 4 (handler-path.js, module-loader.js,
// handler-resolver.js): parsing, lookup order, require() fallback, export resolution and the
// init errors, including the ones the simulator refuses before spawning (malformed names, a
// handler file that does not exist).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHandlerString } from '../../../src/zero-code/handler-string.js';
import { loadUserHandler, resolveHandler } from '../../../src/zero-code/load-handler.js';

let root = '';
function write(file: string, text: string): void {
  mkdirSync(join(root, file, '..'), { recursive: true });
  writeFileSync(join(root, file), text);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'otel-lambda-flush-loader-'));
  write('a.js', 'exports.handler = async () => "a.js";\n'); // .js before .mjs and .cjs
  write('a.mjs', 'export const handler = async () => "a.mjs";\n');
  write('only.cjs', 'exports.handler = async () => "only.cjs";\n');
  write('dir/deep/mod.mjs', 'export default { api: { get: async () => "default.api.get" } };\n');
  write('node_modules/handler-pkg/package.json', '{"name":"handler-pkg","main":"main.js"}\n');
  write('node_modules/handler-pkg/main.js', 'exports.handler = async () => "from a package";\n');
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('parseHandlerString', () => {
  it('splits the last path segment on its first dot', () => {
    expect(parseHandlerString('index.handler')).toEqual({ moduleRoot: '', moduleName: 'index', handlerName: 'handler' });
    expect(parseHandlerString('src/fns/api.routes.get')).toEqual({ moduleRoot: 'src/fns', moduleName: 'api', handlerName: 'routes.get' });
    expect(parseHandlerString('/abs/dir/mod.h')).toEqual({ moduleRoot: '/abs/dir', moduleName: 'mod', handlerName: 'h' });
  });

  it.each([
    ['index', 'Bad handler'],
    ['', 'Bad handler'],
    ['../up.handler', "'../up.handler' is not a valid handler name. Use absolute paths when specifying root directories in handler names."],
  ])('%j: Runtime.MalformedHandlerName, the runtime’s message', (input, message) => {
    let error: Error | undefined;
    try {
      parseHandlerString(input);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('Runtime.MalformedHandlerName');
    expect(error?.message).toBe(message);
    expect(error).not.toBeInstanceOf(SyntaxError); // the runtime passes it through unchanged
  });
});

describe('loadUserHandler', () => {
  it("looks up '', .js, .mjs, .cjs in that order", async () => {
    expect(await (await loadUserHandler(root, 'a.handler'))()).toBe('a.js');
    expect(await (await loadUserHandler(root, 'only.handler'))()).toBe('only.cjs');
  });

  it('resolves nested exports, also under default', async () => {
    expect(await (await loadUserHandler(root, 'dir/deep/mod.api.get'))()).toBe('default.api.get');
  });

  it('falls back to require.resolve from the task root (a package in node_modules)', async () => {
    expect(await (await loadUserHandler(root, 'handler-pkg.handler'))()).toBe('from a package');
  });

  it('a missing module: Runtime.ImportModuleError with String(error) as the message', async () => {
    const error = await loadUserHandler(root, 'nope.handler').catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('Runtime.ImportModuleError');
    expect((error as Error).message).toMatch(/^Error: Cannot find module 'nope'\nRequire stack:\n- /);
    expect((error as { code?: string }).code).toBeUndefined(); // not reclassified by the runtime
  });

  it('Runtime.HandlerNotFound for a missing or non-function export', () => {
    expect(() => resolveHandler({ handler: 1 }, 'handler', 'x.handler')).toThrow('x.handler is not a function');
    expect(() => resolveHandler({}, 'a.b', 'x.a.b')).toThrow('x.a.b is undefined or not exported');
    expect(() => resolveHandler(null, 'handler', 'x.handler')).toThrow('x.handler is undefined or not exported');
  });
});
