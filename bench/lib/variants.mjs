// The rows of the comparison: which bundle runs, with which environment.
import { join } from 'node:path';

/**
 * @param {Record<string, any>} functions result of buildFunctions().functions
 * @returns {{ id: string, label: string, fn: string, env: Record<string,string>, expectsExtension?: boolean, unavailable?: string }[]}
 */
export function variants(functions, root) {
  const rows = [
    { id: 'bare', label: 'bare handler', fn: 'bare', env: {} },
    { id: 'sync', label: 'otel-lambda-flush sync', fn: 'lib', env: { OTEL_LAMBDA_FLUSH_MODE: 'sync' } },
    {
      id: 'after-response',
      label: 'otel-lambda-flush after-response',
      fn: 'lib',
      env: { OTEL_LAMBDA_FLUSH_MODE: 'after-response', OTEL_LAMBDA_EXTENSION: 'true' },
      expectsExtension: true,
    },
    {
      id: 'peer',
      label: 'instrumentation-aws-lambda (peer)',
      fn: 'peer',
      env: { NODE_OPTIONS: functions.peer?.nodeOptions ?? '' },
    },
  ];
  // Cold start only: the README's CommonJS bundle (no top-level await, so in after-response
  // mode the extension registers from its worker thread).
  rows.push(
    { id: 'bare-cjs', label: 'bare handler, CommonJS bundle', fn: 'bare-cjs', env: {}, coldOnly: true, baseline: 'bare-cjs', peerId: 'peer' },
    { id: 'sync-cjs', label: 'otel-lambda-flush sync, CommonJS bundle', fn: 'lib-cjs', env: { OTEL_LAMBDA_FLUSH_MODE: 'sync' }, coldOnly: true, baseline: 'bare-cjs', peerId: 'peer' },
    {
      id: 'after-response-cjs',
      label: 'otel-lambda-flush after-response, CommonJS bundle',
      fn: 'lib-cjs',
      env: { OTEL_LAMBDA_FLUSH_MODE: 'after-response', OTEL_LAMBDA_EXTENSION: 'true' },
      expectsExtension: true, coldOnly: true, baseline: 'bare-cjs', peerId: 'peer',
    },
  );
  // Cold start only (init + first invoke): the same code unbundled, as layers and many zips
  // ship it (ES module handler, node_modules beside it), and zero-code activation
  // (AWS_LAMBDA_EXEC_WRAPPER = the package's wrapper script around the bare handler).
  rows.push(
    { id: 'bare-unbundled', label: 'bare handler, unbundled', fn: 'bare-unbundled', env: {}, coldOnly: true, baseline: 'bare-unbundled', peerId: 'peer-unbundled' },
    { id: 'sync-unbundled', label: 'otel-lambda-flush sync, unbundled', fn: 'lib-unbundled', env: { OTEL_LAMBDA_FLUSH_MODE: 'sync' }, coldOnly: true, baseline: 'bare-unbundled', peerId: 'peer-unbundled' },
    {
      id: 'after-response-unbundled',
      label: 'otel-lambda-flush after-response, unbundled',
      fn: 'lib-unbundled',
      env: { OTEL_LAMBDA_FLUSH_MODE: 'after-response', OTEL_LAMBDA_EXTENSION: 'true' },
      expectsExtension: true, coldOnly: true, baseline: 'bare-unbundled', peerId: 'peer-unbundled',
    },
    { id: 'peer-unbundled', label: 'peer, unbundled', fn: 'peer-unbundled', env: { NODE_OPTIONS: functions['peer-unbundled']?.nodeOptions ?? '' }, coldOnly: true, baseline: 'bare-unbundled' },
    {
      id: 'zero-code',
      label: 'otel-lambda-flush zero-code (exec wrapper), unbundled',
      fn: 'bare-unbundled',
      env: {},
      execWrapper: root ? join(root, 'bin', 'otel-lambda-flush-wrapper') : undefined,
      coldOnly: true, baseline: 'bare-unbundled', peerId: 'peer-unbundled',
    },
  );
  for (const row of rows.slice(0, 4)) {
    row.baseline = 'bare';
    if (row.id !== 'peer') row.peerId = 'peer';
  }
  // The simulator gives node Lambda's bootstrap flags (--expose-gc, which the memory probe in
  // functions/probe.mjs uses, and the heap limits for MEMORY_MB): NODE_OPTIONS carries only a
  // column's own preloads.
  for (const row of rows) if (!row.env.NODE_OPTIONS) delete row.env.NODE_OPTIONS;
  for (const row of rows) {
    if (row.id === 'zero-code' && !row.execWrapper) row.unavailable = 'repo root unknown';
    const built = functions[row.fn];
    if (!built) row.unavailable = `function ${row.fn} was not built`;
    else if (built.error) row.unavailable = `bundle failed: ${built.error}`;
  }
  return rows;
}

/** Function memory size the simulator is given (its default, like Lambda's minimum). */
export const MEMORY_MB = 128;

/**
 * For processes the bench starts itself (not through the simulator, which passes them already):
 * the V8 heap limits Lambda's Node.js bootstrap derives from the memory size (new space a
 * tenth of it, split in two semi-spaces; old space the rest). Without them V8 sizes its heap
 * for this machine and grows RSS lazily, which would make the RSS figures meaningless.
 */
export function lambdaHeapFlags(memoryMb) {
  const newSpace = Math.floor(memoryMb / 10);
  return `--max-semi-space-size=${Math.floor(newSpace / 2)} --max-old-space-size=${memoryMb - newSpace}`;
}

/** Environment every function gets: OTLP/HTTP to the receiver, defaults otherwise. */
export function baseEnv(receiverUrl) {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl,
    OTEL_SERVICE_NAME: 'bench-function',
  };
}
