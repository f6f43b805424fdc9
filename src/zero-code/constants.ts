// Names shared by the wrapper script (bin/otel-lambda-flush-wrapper) and the zero-code modules.

/** Env var holding the function's own `_HANDLER` while the runtime loads ours. */
export const ORIGINAL_HANDLER_ENV = 'OTEL_LAMBDA_ORIGINAL_HANDLER';
