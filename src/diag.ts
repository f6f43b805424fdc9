// Library diagnostics. Runtime events go to the OpenTelemetry diag logger (silent unless the
// user sets one); configuration mistakes found in env vars also go to console.warn, once per
// key, because they are one-off and must be visible in the first run.
import { diag } from '@opentelemetry/api';

const PREFIX = 'otel-lambda-flush:';
const warned = new Set<string>();

export function debug(message: string, ...args: unknown[]): void {
  diag.debug(`${PREFIX} ${message}`, ...args);
}

export function warn(message: string, ...args: unknown[]): void {
  diag.warn(`${PREFIX} ${message}`, ...args);
}

/** Warns once per key on diag and console (configuration problems). */
export function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  diag.warn(`${PREFIX} ${message}`);
  console.warn(`${PREFIX} ${message}`);
}
