// Boots the extension worker at import. Imports node builtins and the bridge only (no
// OpenTelemetry), so that an entry could call it before the OpenTelemetry packages are
// evaluated. A failure is kept for connectExtension() to report (no diag logger here).
import { ExtensionBridge } from './bridge.js';
import { DEFAULT_TELEMETRY_HOST } from './defaults.js';
import { slot } from './slot.js';

function flag(raw: string | undefined): boolean | undefined {
  const v = raw?.trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return undefined;
}

/**
 * The Telemetry API listener host the environment asks for (env var or default), for the
 * worker to look up ahead of its configuration; undefined when the Telemetry API is turned
 * off by env.
 */
export function preparedHost(env: NodeJS.ProcessEnv): { host: string } | undefined {
  if (flag(env.OTEL_LAMBDA_TELEMETRY) === false) return undefined;
  return { host: env.OTEL_LAMBDA_TELEMETRY_HOST?.trim() || DEFAULT_TELEMETRY_HOST };
}

/** Boots the worker once per process (idempotent); throws when it cannot start. */
export function bootWorker(env: NodeJS.ProcessEnv = process.env): ExtensionBridge {
  const s = slot();
  s.bridge ??= new ExtensionBridge(preparedHost(env));
  return s.bridge;
}

/**
 * With `OTEL_LAMBDA_EXTENSION=true` inside Lambda (`AWS_LAMBDA_RUNTIME_API` set), boots the
 * worker; does nothing else (registration waits until the handler is wrapped). Never throws:
 * a failure is kept and reported when the handler is wrapped.
 */
export function bootOnImport(env: NodeJS.ProcessEnv = process.env): void {
  if (!env.AWS_LAMBDA_RUNTIME_API || flag(env.OTEL_LAMBDA_EXTENSION) !== true) return;
  try {
    bootWorker(env);
  } catch (err) {
    slot().bootError = err instanceof Error ? err.message : String(err);
  }
}
