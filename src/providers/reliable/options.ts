// Settings of the reliable exporters, from OTEL_LAMBDA_EXPORT_* env vars (validated, with
// defaults). Read here until the library's configuration module takes them over.
import { warnOnce } from '../../diag.js';
import type { BreakerOptions } from './breaker.js';

export interface ReliabilitySettings {
  /** Most items kept per signal for a later flush. 0 disables keeping. */
  maxKeptItems: number;
  /** Most (estimated) bytes kept per signal. */
  maxKeptBytes: number;
  /** Time an export may take when no flush bounds it (the processors' own timers), in ms. */
  attemptTimeoutMs: number;
  breaker: BreakerOptions;
  /** Write batches that would be dropped to stdout (OTLP JSON lines) instead. */
  fallbackStdout: boolean;
}

export const RELIABILITY_DEFAULTS = {
  maxKeptItems: 2048,
  maxKeptBytes: 4 * 1024 * 1024,
  attemptTimeoutMs: 1000,
  breakerThreshold: 3,
  breakerCooldownMs: 1000,
  breakerMaxCooldownMs: 30_000,
} as const;

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (Number.isInteger(n) && n >= min && n <= max) return n;
  warnOnce(`env:${name}`, `${name}="${raw}" is not an integer in [${min}, ${max}]; using the default ${fallback}`);
  return fallback;
}

export function reliabilityFromEnv(env: NodeJS.ProcessEnv = process.env): ReliabilitySettings {
  const fallback = env.OTEL_LAMBDA_EXPORT_FALLBACK?.trim().toLowerCase();
  if (fallback && fallback !== 'stdout' && fallback !== 'none') {
    warnOnce('env:OTEL_LAMBDA_EXPORT_FALLBACK', `OTEL_LAMBDA_EXPORT_FALLBACK="${fallback}" is not stdout or none; using none`);
  }
  return {
    maxKeptItems: int(env, 'OTEL_LAMBDA_EXPORT_KEEP_MAX_ITEMS', RELIABILITY_DEFAULTS.maxKeptItems, 0, 1_000_000),
    maxKeptBytes: int(env, 'OTEL_LAMBDA_EXPORT_KEEP_MAX_BYTES', RELIABILITY_DEFAULTS.maxKeptBytes, 0, 1024 * 1024 * 1024),
    attemptTimeoutMs: int(env, 'OTEL_LAMBDA_FLUSH_TIMEOUT_MS', RELIABILITY_DEFAULTS.attemptTimeoutMs, 1, 900_000),
    breaker: {
      threshold: RELIABILITY_DEFAULTS.breakerThreshold,
      cooldownMs: RELIABILITY_DEFAULTS.breakerCooldownMs,
      maxCooldownMs: int(env, 'OTEL_LAMBDA_EXPORT_PROBE_MAX_MS', RELIABILITY_DEFAULTS.breakerMaxCooldownMs, 1, 3_600_000),
    },
    fallbackStdout: fallback === 'stdout',
  };
}
