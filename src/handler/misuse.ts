// Misuse the front doors can see, each said once on the console (through warnOnce): mistakes
// that otherwise make everything a silent no-op or a degraded span.
import { envBool } from '../config/env.js';
import type { ResolvedOptions } from '../config/options.js';
import { warnOnce } from '../config/warnings.js';
import { registeredGlobalProviders } from '../internals/otel-api.js';
import { processState } from '../state.js';

let providersChecked = false;

/**
 * At the first invoke: no tracer, meter or logger provider passed or registered means the
 * invocation span and everything the handler records go nowhere. Skipped while
 * setupTelemetry() is still loading and when the SDK is switched off on purpose.
 */
export function checkProvidersAtFirstInvoke(options: ResolvedOptions, env?: NodeJS.ProcessEnv): void {
  if (providersChecked) return; // every invoke but the first: nothing else, not even a default argument
  providersChecked = true;
  if (processState().pendingSetup !== undefined || envBool(env ?? process.env, 'OTEL_SDK_DISABLED', false)) return;
  if (options.tracerProvider !== undefined || options.meterProvider !== undefined || options.loggerProvider !== undefined) return;
  const g = registeredGlobalProviders();
  if (g.traces || g.metrics || g.logs) return;
  warnOnce(
    'no-providers',
    'no tracer, meter or logger provider is registered at the first invoke: spans, metrics and logs are dropped. Call setupTelemetry() at module scope (or register your own providers) before the handler runs',
  );
}

/** Tests only: check again at the next invoke. */
export function resetMisuseChecks(): void {
  providersChecked = false;
}

/**
 * The runtime calls a streaming handler as `(event, responseStream, context)`. A Lambda
 * context has `awsRequestId`; a response stream has `write`. Seeing a stream where the
 * context belongs means `awslambda.streamifyResponse(withFlush(h))`.
 */
export function isResponseStreamArgument(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { write?: unknown; awsRequestId?: unknown };
  return typeof v.write === 'function' && v.awsRequestId === undefined;
}

export function warnStreamifyOrder(): void {
  warnOnce(
    'streamify-order',
    'awslambda.streamifyResponse(withFlush(handler)) is not supported: write withFlush(awslambda.streamifyResponse(handler)). Handling this invoke as a streaming one',
  );
}

/** otelFlush()'s after / onError ran but its before did not: another middleware ran (and failed) first. */
export function warnMiddyOrder(): void {
  warnOnce(
    'middy-order',
    'otelFlush() was not registered first: a middleware registered before it failed before the invocation span started. Register it first: middy(handler).use(otelFlush()).use(...)',
  );
}
