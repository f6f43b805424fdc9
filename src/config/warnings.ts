// The one warning channel for configuration problems and misuse. Dependency-free (the early
// boot path imports it before any OpenTelemetry package is evaluated). A warning goes out once
// per key: through the user's OpenTelemetry diag logger when one is registered, else on the
// console, so it is seen in the first local run without any setup.

import { registeredDiagLogger } from '../internals/otel-api.js';

const PREFIX = 'otel-lambda-flush:';
/** Distinct warning keys remembered; past this, repeated keys may print again (never unbounded memory). */
const MAX_KEYS = 512;

const warned = new Set<string>();


/**
 * Warns once per `key`: through the registered diag logger, else `console.warn`. Never throws.
 * Returns true when this call printed.
 */
export function warnOnce(key: string, message: string): boolean {
  if (warned.has(key)) return false;
  if (warned.size >= MAX_KEYS) warned.clear();
  warned.add(key);
  try {
    const d = registeredDiagLogger();
    if (d) d.warn(`${PREFIX} ${message}`);
    else console.warn(`${PREFIX} ${message}`);
  } catch {
    // a broken logger must not break the caller
  }
  return true;
}

/** Tests only: forget which keys were printed. */
export function resetWarnings(): void {
  warned.clear();
}
