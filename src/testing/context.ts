// A Lambda `Context` for calling handlers directly in unit tests, without a runtime.
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** Options of {@link fakeContext}: any `Context` field, plus the clock it counts down on. */
export type FakeContextOptions = Partial<Context> & {
  /** Function timeout in ms; `getRemainingTimeInMillis()` counts down from it. Default 3000. */
  timeoutMs?: number;
  /** Clock in ms, for deterministic tests. Default `Date.now`. */
  now?: () => number;
};

function unsupported(name: string): () => never {
  return () => {
    throw new Error(`context.${name}() is not supported by fakeContext: return a value (or a promise) from the handler, or use its callback`);
  };
}

/**
 * Builds a Lambda `Context` with realistic defaults (function `test-function`, version `$LATEST`,
 * 128 MB, a fresh `awsRequestId`) whose `getRemainingTimeInMillis()` counts down from
 * `timeoutMs` (default 3000) from the moment it is created, never below 0. The deprecated
 * `done`/`fail`/`succeed` throw a clear error.
 *
 * @example
 * ```ts
 * const result = await handler(event, fakeContext({ timeoutMs: 500 }));
 * ```
 * @throws TypeError when `timeoutMs` is not a finite number >= 0.
 */
export function fakeContext(options: FakeContextOptions = {}): Context {
  const { timeoutMs = 3000, now = Date.now, ...given } = options;
  // An explicit `undefined` means "use the default", as it would for a missing key.
  const overrides = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<Context>;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new TypeError(`fakeContext: timeoutMs must be a finite number >= 0, got ${String(timeoutMs)}`);
  }
  const functionName = overrides.functionName ?? 'test-function';
  const functionVersion = overrides.functionVersion ?? '$LATEST';
  const deadline = now() + timeoutMs;
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion,
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '128',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[${functionVersion}]${randomUUID().replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, Math.round(deadline - now())),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
    ...overrides,
  };
}
