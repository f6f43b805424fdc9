// Settings of the reliable exporters, from the OTEL_LAMBDA_EXPORT_* variables of the
// configuration table (src/config/variables.ts).
import { readVar, VARS } from '../../config/variables.js';
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

export function reliabilityFromEnv(env: NodeJS.ProcessEnv = process.env): ReliabilitySettings {
  return {
    maxKeptItems: readVar(env, VARS.exportKeepMaxItems),
    maxKeptBytes: readVar(env, VARS.exportKeepMaxBytes),
    attemptTimeoutMs: readVar(env, VARS.flushTimeoutMs),
    breaker: {
      threshold: RELIABILITY_DEFAULTS.breakerThreshold,
      cooldownMs: RELIABILITY_DEFAULTS.breakerCooldownMs,
      maxCooldownMs: readVar(env, VARS.exportProbeMaxMs),
    },
    fallbackStdout: readVar(env, VARS.exportFallback) === 'stdout',
  };
}
