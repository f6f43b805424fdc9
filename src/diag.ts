// Library diagnostics. Runtime events go to the OpenTelemetry diag logger (silent unless the
// user sets one); configuration mistakes go out once per key, on the console when no diag logger
// is registered, because they are one-off and must be visible in the first run.
import { diag } from '@opentelemetry/api';

const PREFIX = 'otel-lambda-flush:';
const warned = new Set<string>();

export function debug(message: string, ...args: unknown[]): void {
  diag.debug(`${PREFIX} ${message}`, ...args);
}

export function warn(message: string, ...args: unknown[]): void {
  diag.warn(`${PREFIX} ${message}`, ...args);
}

// The API's global registry (the key carries the API's major version): `diag` is set there
// once the user registered a diag logger.
const API_REGISTRY = Symbol.for('opentelemetry.js.api.1');

function diagLoggerRegistered(): boolean {
  const registry = (globalThis as Record<symbol, { diag?: unknown } | undefined>)[API_REGISTRY];
  return registry?.diag !== undefined;
}

/**
 * Warns once per key (configuration problems): through the user's diag logger when one is
 * registered, else on the console, so it is seen in the first run and never printed twice.
 */
export function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  if (diagLoggerRegistered()) diag.warn(`${PREFIX} ${message}`);
  else console.warn(`${PREFIX} ${message}`);
}
