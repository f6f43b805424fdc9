// Loads a function's handler the way the Node.js runtime client (aws-lambda-ric 4,
// `module-loader.js` and `handler-resolver.js`) does, step for step: the same file lookup, the
// same import / require, the same export resolution and the same init errors. Anything that
// behaves differently here would make a function behave differently with zero-code activation.
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseHandlerString } from './handler-string.js';
import { handlerNotFound, importModuleError, userCodeSyntaxError } from './runtime-errors.js';

const EXTENSIONS = ['', '.js', '.mjs', '.cjs'];

/**
 * A require() anchored where the runtime client's is (its entry module, `process.argv[1]`), so
 * that a `MODULE_NOT_FOUND` message lists the same require stack as without this loader.
 */
function runtimeRequire(): NodeJS.Require {
  const entry = process.argv[1];
  if (entry) {
    try {
      return createRequire(realpathSync(entry));
    } catch {
      // not a file: fall through
    }
  }
  return createRequire(join(process.cwd(), 'noop.js'));
}

/** The module namespace (ESM or CommonJS) of `[moduleRoot/]moduleName` under `appRoot`. */
async function loadModule(appRoot: string, moduleRoot: string, moduleName: string): Promise<unknown> {
  const withoutExtension = resolve(appRoot, moduleRoot, moduleName);
  try {
    for (const extension of EXTENSIONS) {
      const path = `${withoutExtension}${extension}`;
      // A plain path to import(), as the runtime does (not a file URL): the same resolution.
      if (existsSync(path)) return await import(path);
    }
    const require = runtimeRequire();
    const resolved = require.resolve(moduleName, { paths: [appRoot, join(appRoot, moduleRoot)] });
    return require(resolved);
  } catch (err) {
    if (err instanceof SyntaxError) throw userCodeSyntaxError(err);
    if (err instanceof Error && (err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') throw importModuleError(err);
    throw err; // anything else reaches the runtime as it was thrown
  }
}

function findIn(handlerName: string, module: unknown): unknown {
  return handlerName.split('.').reduce<unknown>((nested, key) => (nested && typeof nested === 'object' ? (nested as Record<string, unknown>)[key] : undefined), module);
}

/** `module.a.b`, else `module.default.a.b`; a function, or `Runtime.HandlerNotFound`. */
export function resolveHandler(module: unknown, handlerName: string, fullHandlerString: string): (...args: any[]) => any {
  let handler = findIn(handlerName, module);
  if (!handler && typeof module === 'object' && module !== null && 'default' in module) {
    handler = findIn(handlerName, (module as { default: unknown }).default);
  }
  if (!handler) throw handlerNotFound(`${fullHandlerString} is undefined or not exported`);
  if (typeof handler !== 'function') throw handlerNotFound(`${fullHandlerString} is not a function`);
  return handler as (...args: any[]) => any;
}

/**
 * Loads and resolves the handler named by `handlerString` (as `_HANDLER`) under `appRoot`
 * (as `LAMBDA_TASK_ROOT`). Rejects with the runtime's own init error for the same mistake.
 */
export async function loadUserHandler(appRoot: string, handlerString: string): Promise<(...args: any[]) => any> {
  const { moduleRoot, moduleName, handlerName } = parseHandlerString(handlerString);
  const module = await loadModule(appRoot, moduleRoot, moduleName);
  return resolveHandler(module, handlerName, handlerString);
}
