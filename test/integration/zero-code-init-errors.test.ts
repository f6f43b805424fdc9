// A function whose handler cannot be loaded fails init with the same error type and message
// with zero-code activation as without it (the wrapper must not hide or reword the user's
// mistake), and the trace still points at the user's code. Each case runs twice through the
// simulator and the real runtime client: once plain, once with the package's exec wrapper.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LambdaSimulator, LambdaSimulatorError, type InvokeError } from '../../src/testing/index.js';
import { requireBuild, wrapperPath } from './zero-code-helpers.js';

interface Case {
  name: string;
  files: Record<string, string>;
  handler: string;
  errorType: string;
  /** Part of the message, checked on both runs (the messages must also be equal). */
  message: string | RegExp;
  /** A file name that must appear in the trace of the wrapped run (the user's stack). */
  traceHas?: string;
}

// Generated, not checked in: some are not valid JavaScript on purpose.
const cases: Case[] = [
  { name: 'ESM module throws at load', files: { 'throws.mjs': "throw new TypeError('config missing at load');\nexport const handler = async () => 1;\n" }, handler: 'throws.handler', errorType: 'TypeError', message: 'config missing at load', traceHas: 'throws.mjs' },
  { name: 'CommonJS module throws at load', files: { 'throws.cjs': "'use strict';\nthrow new Error('boom at load');\n" }, handler: 'throws.handler', errorType: 'Error', message: 'boom at load', traceHas: 'throws.cjs' },
  { name: 'ESM syntax error', files: { 'syntax.mjs': 'export const handler = async () => {{;\n' }, handler: 'syntax.handler', errorType: 'Runtime.UserCodeSyntaxError', message: /SyntaxError/ },
  { name: 'CommonJS syntax error', files: { 'syntax.cjs': 'exports.handler = async () => {{;\n' }, handler: 'syntax.handler', errorType: 'Runtime.UserCodeSyntaxError', message: /SyntaxError/ },
  { name: 'SyntaxError thrown at load (JSON.parse)', files: { 'json.cjs': "JSON.parse('{not json');\nexports.handler = async () => 1;\n" }, handler: 'json.handler', errorType: 'Runtime.UserCodeSyntaxError', message: /SyntaxError/, traceHas: 'json.cjs' },
  { name: 'CommonJS require of a missing package', files: { 'missing.cjs': "require('zero-code-not-installed');\nexports.handler = async () => 1;\n" }, handler: 'missing.handler', errorType: 'Runtime.ImportModuleError', message: "Error: Cannot find module 'zero-code-not-installed'", traceHas: 'missing.cjs' },
  { name: 'ESM import of a missing package', files: { 'missing.mjs': "import 'zero-code-not-installed';\nexport const handler = async () => 1;\n" }, handler: 'missing.handler', errorType: 'Error', message: "Cannot find package 'zero-code-not-installed'" },
  { name: 'export missing', files: { 'noexport.mjs': 'export const other = async () => 1;\n' }, handler: 'noexport.handler', errorType: 'Runtime.HandlerNotFound', message: 'noexport.handler is undefined or not exported' },
  { name: 'nested export missing', files: { 'lib/nested.mjs': 'export const routes = {};\n' }, handler: 'lib/nested.routes.get', errorType: 'Runtime.HandlerNotFound', message: 'lib/nested.routes.get is undefined or not exported' },
  { name: 'export not a function', files: { 'notfn.mjs': 'export const handler = 42;\n' }, handler: 'notfn.handler', errorType: 'Runtime.HandlerNotFound', message: 'notfn.handler is not a function' },
  { name: 'callback handler (refused on Node 24)', files: { 'callback.mjs': 'export const handler = (event, context, callback) => callback(null, 1);\n' }, handler: 'callback.handler', errorType: 'Runtime.CallbackHandlerDeprecated', message: /callback-based function handlers/ },
];

let root = '';

beforeAll(() => {
  requireBuild();
  root = mkdtempSync(join(tmpdir(), 'otel-lambda-flush-init-errors-'));
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

async function initError(taskRoot: string, handler: string, execWrapper: string | undefined): Promise<InvokeError> {
  let sim: LambdaSimulator | undefined;
  try {
    sim = await LambdaSimulator.start({ taskRoot, handler, ...(execWrapper ? { execWrapper } : {}), env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_SDK_DISABLED: 'false' } });
  } catch (e) {
    if (e instanceof LambdaSimulatorError) return e.lambdaError;
    throw e;
  } finally {
    await sim?.close();
  }
  throw new Error(`${handler}: init succeeded, expected it to fail`);
}

describe.each(cases)('init error: $name', (c) => {
  it(`${c.errorType}, the same with and without the wrapper`, async () => {
    const taskRoot = join(root, c.name.replace(/\W+/g, '-'));
    for (const [file, text] of Object.entries(c.files)) {
      mkdirSync(join(taskRoot, file, '..'), { recursive: true });
      writeFileSync(join(taskRoot, file), text);
    }
    const plain = await initError(taskRoot, c.handler, undefined);
    const wrapped = await initError(taskRoot, c.handler, wrapperPath);
    for (const e of [plain, wrapped]) {
      expect(e.errorType).toBe(c.errorType);
      if (typeof c.message === 'string') expect(e.errorMessage).toContain(c.message);
      else expect(e.errorMessage).toMatch(c.message);
    }
    expect(wrapped.errorType).toBe(plain.errorType);
    expect(wrapped.errorMessage).toBe(plain.errorMessage);
    if (c.errorType === 'Runtime.HandlerNotFound') {
      // The wrapped run really went through the zero-code loader (the control for this harness).
      expect((wrapped.trace ?? []).join('\n')).toContain('zero-code/handler.js');
      expect((plain.trace ?? []).join('\n')).not.toContain('zero-code/handler.js');
    }
    if (c.traceHas) {
      const trace = (wrapped.trace ?? []).join('\n');
      expect(trace, `the user's stack in ${trace}`).toContain(join(taskRoot, c.traceHas));
    }
  });
});
