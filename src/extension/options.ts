import { diag } from '@opentelemetry/api';
import { DEFAULT_TELEMETRY_HOST, DEFAULT_TELEMETRY_PORT } from './defaults.js';

/** Options of the in-process internal extension (see the README's "After the response"). */
export interface ExtensionOptions {
  /** Extension name sent to the Extensions API. Default `otel-lambda-flush`. */
  name?: string;
  /** Longest the loading thread waits for registration, in ms. Default 1000. */
  registrationTimeoutMs?: number;
  /** Telemetry API subscription; `false` to not subscribe. Default `true`. */
  telemetry?: boolean | TelemetryOptions;
}

/** Options of the Telemetry API subscription. */
export interface TelemetryOptions {
  /**
   * Listener host as Lambda sees it. Default `sandbox.localdomain` (env
   * `OTEL_LAMBDA_TELEMETRY_HOST`). Where that name does not resolve (outside Lambda, e.g. under
   * the test kit's simulator, which maps it to 127.0.0.1) the listener binds to 127.0.0.1.
   */
  host?: string;
  /** Listener port. Default 0: a free port, chosen at start (env `OTEL_LAMBDA_TELEMETRY_PORT`). */
  port?: number;
  /** Buffering sent to the Telemetry API. Defaults 1000 items, 262144 bytes, 25 ms. */
  buffering?: { maxItems?: number; maxBytes?: number; timeoutMs?: number };
  /** Forward `function` / `extension` log lines as OpenTelemetry logs. Default false. */
  forwardLogs?: boolean;
}

/** The extension's options with every default applied. */
export interface ResolvedExtensionOptions {
  name: string;
  registrationTimeoutMs: number;
  /** An INVOKE is released at the latest this many ms before its deadline. */
  gateMarginMs: number;
  telemetry?: {
    host: string;
    port: number;
    buffering: { maxItems: number; maxBytes: number; timeoutMs: number };
    forwardLogs: boolean;
    /** Longest a delivery's body may take to arrive, in ms. */
    bodyTimeoutMs: number;
  };
}

/** Default Telemetry API listener host and port (defined in defaults.ts, shared with the early boot). */
export { DEFAULT_TELEMETRY_HOST, DEFAULT_TELEMETRY_PORT };

// Telemetry API limits (values outside are refused by Lambda, so they are clamped here).
const LIMITS = {
  maxItems: [1000, 10_000, 1000],
  maxBytes: [262_144, 1_048_576, 262_144],
  timeoutMs: [25, 30_000, 25],
} as const;

function typeError(path: string, expected: string, value: unknown): TypeError {
  return new TypeError(`otel-lambda-flush: option ${path} must be ${expected}, got ${value === null ? 'null' : typeof value}`);
}

function checkNumber(path: string, value: unknown, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw typeError(path, 'a finite number', value);
  if (value < min || value > max) {
    const clamped = Math.min(max, Math.max(min, value));
    diag.warn(`otel-lambda-flush: option ${path}=${value} is outside ${min}..${max}; using ${clamped}`);
    return clamped;
  }
  return value;
}

function checkString(path: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw typeError(path, 'a non-empty string', value);
  return value;
}

function checkBoolean(path: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw typeError(path, 'a boolean', value);
  return value;
}

/** Reads a boolean env var: `true`/`1` and `false`/`0` (any case); anything else warns. */
export function envBoolean(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  diag.warn(`otel-lambda-flush: ${name}=${env[name]} is not true/false; ignoring it`);
  return undefined;
}

function envPort(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (Number.isInteger(n) && n >= 0 && n <= 65_535 && n !== 9001) return n;
  diag.warn(`otel-lambda-flush: ${name}=${raw} is not a usable port; using the default ${DEFAULT_TELEMETRY_PORT}`);
  return undefined;
}

/**
 * Validates the `extension` option and applies defaults and env vars
 * (`OTEL_LAMBDA_TELEMETRY_HOST`, `OTEL_LAMBDA_TELEMETRY_PORT`, `OTEL_LAMBDA_TELEMETRY=false`,
 * `OTEL_LAMBDA_FORWARD_LOGS`). Options given in code win over env vars. Throws a TypeError for
 * a wrong type; clamps out-of-range numbers to the Telemetry API limits with a warning.
 */
export function resolveExtensionOptions(
  value: boolean | ExtensionOptions | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedExtensionOptions {
  const o: ExtensionOptions = typeof value === 'object' && value !== null ? value : {};
  if (value !== undefined && typeof value !== 'boolean' && (typeof value !== 'object' || value === null)) {
    throw typeError('extension', 'a boolean or an object', value);
  }
  const name = checkString('extension.name', o.name) ?? 'otel-lambda-flush';
  const registrationTimeoutMs = checkNumber('extension.registrationTimeoutMs', o.registrationTimeoutMs, 1, 10_000) ?? 1000;
  const resolved: ResolvedExtensionOptions = { name, registrationTimeoutMs, gateMarginMs: 50 };

  const t = o.telemetry;
  if (t !== undefined && typeof t !== 'boolean' && (typeof t !== 'object' || t === null)) {
    throw typeError('extension.telemetry', 'a boolean or an object', t);
  }
  const wanted = t === undefined ? (envBoolean(env, 'OTEL_LAMBDA_TELEMETRY') ?? true) : t !== false;
  if (!wanted) return resolved;
  const to: TelemetryOptions = typeof t === 'object' ? t : {};
  const b = to.buffering;
  if (b !== undefined && (typeof b !== 'object' || b === null)) throw typeError('extension.telemetry.buffering', 'an object', b);
  const buffering = {
    maxItems: checkNumber('extension.telemetry.buffering.maxItems', b?.maxItems, LIMITS.maxItems[0], LIMITS.maxItems[1]) ?? LIMITS.maxItems[2],
    maxBytes: checkNumber('extension.telemetry.buffering.maxBytes', b?.maxBytes, LIMITS.maxBytes[0], LIMITS.maxBytes[1]) ?? LIMITS.maxBytes[2],
    timeoutMs:
      checkNumber('extension.telemetry.buffering.timeoutMs', b?.timeoutMs, LIMITS.timeoutMs[0], LIMITS.timeoutMs[1]) ?? LIMITS.timeoutMs[2],
  };
  if (to.port !== undefined && !Number.isInteger(to.port)) throw typeError('extension.telemetry.port', 'an integer', to.port);
  const port = checkNumber('extension.telemetry.port', to.port, 0, 65_535);
  if (port === 9001) throw new TypeError('otel-lambda-flush: option extension.telemetry.port must not be 9001 (reserved by Lambda)');
  resolved.telemetry = {
    host: checkString('extension.telemetry.host', to.host) ?? (env.OTEL_LAMBDA_TELEMETRY_HOST?.trim() || DEFAULT_TELEMETRY_HOST),
    port: port ?? envPort(env, 'OTEL_LAMBDA_TELEMETRY_PORT') ?? DEFAULT_TELEMETRY_PORT,
    buffering,
    forwardLogs: checkBoolean('extension.telemetry.forwardLogs', to.forwardLogs) ?? envBoolean(env, 'OTEL_LAMBDA_FORWARD_LOGS') ?? false,
    bodyTimeoutMs: 5000,
  };
  return resolved;
}
