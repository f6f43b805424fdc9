// Library diagnostics. Runtime events (each flush, each failure) go to the OpenTelemetry diag
// logger, silent unless the user sets one or OTEL_LOG_LEVEL asks for it; configuration problems
// and misuse go through the one warning channel (src/config/warnings.ts), visible by default.
import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import type { Env } from './config/env.js';
import { readVar, VARS } from './config/variables.js';
import { registeredDiagLogger } from './internals/otel-api.js';

export { warnOnce } from './config/warnings.js';

const PREFIX = 'otel-lambda-flush:';

export function debug(message: string, ...args: unknown[]): void {
  diag.debug(`${PREFIX} ${message}`, ...args);
}

export function warn(message: string, ...args: unknown[]): void {
  diag.warn(`${PREFIX} ${message}`, ...args);
}

const LEVELS: Record<string, DiagLogLevel> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

/**
 * `OTEL_LOG_LEVEL` set and no diag logger registered: registers a console diag logger at that
 * level (as the OpenTelemetry SDKs do), so the library's runtime events can be seen.
 */
export function applyLogLevel(env: Env = process.env): void {
  const level = readVar(env, VARS.logLevel);
  if (level === undefined || registeredDiagLogger() !== undefined) return;
  diag.setLogger(new DiagConsoleLogger(), { logLevel: LEVELS[level] ?? DiagLogLevel.INFO, suppressOverrideMessage: true });
}
