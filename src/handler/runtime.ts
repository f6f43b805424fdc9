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
 * Lambda Managed Instances (`AWS_LAMBDA_MAX_CONCURRENCY` set).
 */
export function runtimeAcceptsCallbacks(env: NodeJS.ProcessEnv = process.env, nodeVersion = process.versions.node): boolean {
  const major = Number.parseInt(nodeVersion.split('.')[0] ?? '0', 10);
  return major <= 22 && !env.AWS_LAMBDA_MAX_CONCURRENCY;
}

/** Copies the runtime's markers (streaming, highWaterMark) from the handler to its wrapper. */
export function copyRuntimeMarkers(from: object, to: object): void {
  for (const sym of [HANDLER_STREAMING, HANDLER_HIGHWATERMARK]) {
    const v = (from as Record<symbol, unknown>)[sym];
    if (v !== undefined) (to as Record<symbol, unknown>)[sym] = v;
  }
}
