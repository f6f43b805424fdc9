// The module the Lambda runtime loads instead of the function's handler when zero-code
// activation is on (bin/otel-lambda-flush-wrapper points `_HANDLER` here, as `<dir>/handler.handler`).
// In order: OpenTelemetry providers from OTEL_* (before any user code runs, so a meter or tracer
// taken at module scope is a real one), then the function's own handler, loaded exactly as the
// runtime would, then wrapped with withFlush and exported as `handler`.
import { withFlush } from '../index.js';
import { isStreamingHandler, runtimeAcceptsCallbacks } from '../handler/runtime.js';
import { loadUserHandler } from './load-handler.js';
import { register } from './preload.js';
import { handlerNotFound } from './runtime-errors.js';
import { ORIGINAL_HANDLER_ENV } from './constants.js';

const original = process.env[ORIGINAL_HANDLER_ENV];
if (!original) {
  throw handlerNotFound(
    `otel-lambda-flush: ${ORIGINAL_HANDLER_ENV} is not set. Start the runtime through otel-lambda-flush-wrapper (AWS_LAMBDA_EXEC_WRAPPER), or set it to the function's handler, e.g. index.handler`,
  );
}
if (/zero-code\/handler\.handler$/.test(original)) {
  // Loading ourselves would wait on our own evaluation forever (an init timeout, no message).
  throw handlerNotFound(`otel-lambda-flush: ${ORIGINAL_HANDLER_ENV}=${original} names the zero-code handler itself; set it to the function's own handler`);
}
// The function sees its own handler string, as it would without the wrapper.
process.env._HANDLER = original;

// Providers registered before the user's module is imported. Telemetry never stops the
// function: a failed setup was reported (diag) and leaves the no-op providers.
await register(process.env, true);

const userHandler = await loadUserHandler(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), original);

/**
 * The function's handler wrapped with withFlush. A callback handler that this runtime refuses
 * is passed through untouched, so the runtime reports the same `Runtime.CallbackHandlerDeprecated`
 * as without zero-code activation instead of the wrapper quietly adapting it.
 */
export const handler = userHandler.length >= 3 && !isStreamingHandler(userHandler) && !runtimeAcceptsCallbacks() ? userHandler : withFlush(userHandler);
