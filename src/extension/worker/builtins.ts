// Node built-ins of the extension's core, loaded at first use. The core is part of the library's
// main bundle too (the main-thread host), and an ES module's static `import ... from 'node:http'`
// would load http (and with it undici), dns, net and crypto at every import of the library,
// extension or not.
import { createRequire } from 'node:module';

let load: ((id: string) => unknown) | undefined;

function builtin<T>(id: string): T {
  // process.getBuiltinModule: Node >= 20.16 / 22.3; a require made here serves older ones.
  const got = process.getBuiltinModule?.(id) as T | undefined;
  if (got) return got;
  load ??= createRequire(`${process.cwd()}/`);
  return load(id) as T;
}

/** node:http. */
export const http = (): typeof import('node:http') => builtin('node:http');
/** node:dns. */
export const dns = (): typeof import('node:dns') => builtin('node:dns');
/** node:net. */
export const net = (): typeof import('node:net') => builtin('node:net');
/** node:crypto. */
export const crypto = (): typeof import('node:crypto') => builtin('node:crypto');
/** node:worker_threads. */
export const workerThreads = (): typeof import('node:worker_threads') => builtin('node:worker_threads');
