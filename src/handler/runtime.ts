// What the Node.js runtime client looks at on a handler function.

/** Symbol the runtime reads to know a handler streams its response (`awslambda.streamifyResponse`). */
export const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
/** Symbol carrying the stream's highWaterMark. */
export const HANDLER_HIGHWATERMARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
/** Marks our wrappers, so wrapping twice returns the first wrapper. */
export const WRAPPED = Symbol.for('otel-lambda-flush.wrapped');

export function isStreamingHandler(fn: object): boolean {
  return (fn as Record<symbol, unknown>)[HANDLER_STREAMING] !== undefined;
}

/**
 * Whether the runtime still accepts 3-parameter (callback) handlers: Node.js 22 and older.
 * Node 24's runtime rejects them (`Runtime.CallbackHandlerDeprecated`), as does Node 22 on
 * Lambda Managed Instances (`AWS_LAMBDA_MAX_CONCURRENCY` set), and so does the open-source
 * runtime interface client 4.x on every Node version. That client publishes
 * `awslambda.InvokeStore` before it loads the handler, which is how it is recognised; a
 * 2-parameter wrapper is accepted by every runtime, so guessing "no" is always safe.
 */
export function runtimeAcceptsCallbacks(
  env: NodeJS.ProcessEnv = process.env,
  nodeVersion = process.versions.node,
  runtimeGlobal: unknown = (globalThis as { awslambda?: unknown }).awslambda,
): boolean {
  const major = Number.parseInt(nodeVersion.split('.')[0] ?? '0', 10);
  const ric4 = typeof runtimeGlobal === 'object' && runtimeGlobal !== null && 'InvokeStore' in runtimeGlobal;
  return major <= 22 && !env.AWS_LAMBDA_MAX_CONCURRENCY && !ric4;
}

/** Copies the runtime's markers (streaming, highWaterMark) from the handler to its wrapper. */
export function copyRuntimeMarkers(from: object, to: object): void {
  for (const sym of [HANDLER_STREAMING, HANDLER_HIGHWATERMARK]) {
    const v = (from as Record<symbol, unknown>)[sym];
    if (v !== undefined) (to as Record<symbol, unknown>)[sym] = v;
  }
}
