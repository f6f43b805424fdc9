// The rows of the comparison: which bundle runs, with which environment.

/**
 * @param {Record<string, any>} functions result of buildFunctions().functions
 * @returns {{ id: string, label: string, fn: string, env: Record<string,string>, expectsExtension?: boolean, unavailable?: string }[]}
 */
export function variants(functions) {
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
  // --expose-gc lets the bench's memory probe (functions/probe.mjs) force a full GC.
  for (const row of rows) row.env.NODE_OPTIONS = [lambdaHeapFlags(MEMORY_MB), '--expose-gc', row.env.NODE_OPTIONS].filter(Boolean).join(' ');
  for (const row of rows) {
    const built = functions[row.fn];
    if (!built) row.unavailable = `function ${row.fn} was not built`;
    else if (built.error) row.unavailable = `bundle failed: ${built.error}`;
  }
  return rows;
}

/** Function memory size the simulator is given (its default, like Lambda's minimum). */
export const MEMORY_MB = 128;

/**
 * The V8 heap limits Lambda's Node.js bootstrap derives from the memory size (new space a
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
