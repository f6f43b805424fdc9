// Options of the in-process internal extension: types, validation and resolution against the
// environment (through variables.ts, like every other option).
import type { Env } from './env.js';
import { fail, isObject, optBool, optInt, optString, rejectUnknown } from './validate.js';
import { readVar, VARS } from './variables.js';

/** Options of the in-process internal extension (see the README's "After the response"). */
export interface ExtensionOptions {
  /** Extension name sent to the Extensions API. Env `OTEL_LAMBDA_EXTENSION_NAME`. Default `otel-lambda-flush`. */
  name?: string;
  /** Longest the loading thread waits for registration, in ms (1–10000). Env `OTEL_LAMBDA_REGISTRATION_TIMEOUT_MS`. Default 1000. */
  registrationTimeoutMs?: number;
  /** Telemetry API subscription; `false` to not subscribe. Env `OTEL_LAMBDA_TELEMETRY`. Default `true`. */
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
  /** Listener port; 0 takes a free one. Env `OTEL_LAMBDA_TELEMETRY_PORT`. Default 0. */
  port?: number;
  /** Buffering sent to the Telemetry API. Defaults 1000 items, 262144 bytes, 25 ms (clamped to Lambda's limits). */
  buffering?: { maxItems?: number; maxBytes?: number; timeoutMs?: number };
  /** Forward `function` / `extension` log lines as OpenTelemetry logs. Env `OTEL_LAMBDA_FORWARD_LOGS`. Default false. */
  forwardLogs?: boolean;
}

/** The Telemetry API subscription with every default applied. */
export interface ResolvedTelemetryOptions {
  host: string;
  port: number;
  buffering: { maxItems: number; maxBytes: number; timeoutMs: number };
  forwardLogs: boolean;
  /** Longest a delivery's body may take to arrive, in ms. */
  bodyTimeoutMs: number;
}

/** The extension's options with every default applied. */
export interface ResolvedExtensionOptions {
  name: string;
  registrationTimeoutMs: number;
  /** An INVOKE is released at the latest this many ms before its deadline. */
  gateMarginMs: number;
  /** Absent when the Telemetry API is not wanted. */
  telemetry?: ResolvedTelemetryOptions;
}

/** Telemetry API buffering limits: values outside are refused by Lambda, so they are clamped. */
export const BUFFERING = {
  maxItems: { min: 1000, max: 10_000, default: 1000 },
  maxBytes: { min: 262_144, max: 1_048_576, default: 262_144 },
  timeoutMs: { min: 25, max: 30_000, default: 25 },
} as const;

const EXTENSION_KEYS = new Set(['name', 'registrationTimeoutMs', 'telemetry']);
const TELEMETRY_KEYS = new Set(['host', 'port', 'buffering', 'forwardLogs']);
const BUFFERING_KEYS = new Set(['maxItems', 'maxBytes', 'timeoutMs']);

/**
 * Resolves the `extension` option (an object, or `true` for the defaults) with the environment.
 * Options given in code win over env vars. Wrong types throw a TypeError naming the option.
 */
export function resolveExtensionOptions(value: true | ExtensionOptions, env: Env): ResolvedExtensionOptions {
  const o = (value === true ? {} : value) as Record<string, unknown>;
  if (!isObject(o)) fail('extension', 'a boolean or an object', value);
  rejectUnknown(o, EXTENSION_KEYS, 'extension.');
  const resolved: ResolvedExtensionOptions = {
    name: optString(o, 'name', 'extension.name') ?? readVar(env, VARS.extensionName) ?? VARS.extensionName.default,
    registrationTimeoutMs: optInt(o, 'registrationTimeoutMs', VARS.registrationTimeoutMs, 'extension.registrationTimeoutMs') ?? readVar(env, VARS.registrationTimeoutMs),
    gateMarginMs: 50,
  };
  const t = o.telemetry;
  if (t !== undefined && typeof t !== 'boolean' && !isObject(t)) fail('extension.telemetry', 'a boolean or an object', t);
  const wanted = t === undefined ? readVar(env, VARS.telemetry) : t !== false;
  if (wanted) resolved.telemetry = resolveTelemetry(isObject(t) ? t : {}, env);
  return resolved;
}

function resolveTelemetry(t: Record<string, unknown>, env: Env): ResolvedTelemetryOptions {
  rejectUnknown(t, TELEMETRY_KEYS, 'extension.telemetry.');
  const b = t.buffering;
  if (b !== undefined && !isObject(b)) fail('extension.telemetry.buffering', 'an object', b);
  const bo = (b ?? {}) as Record<string, unknown>;
  rejectUnknown(bo, BUFFERING_KEYS, 'extension.telemetry.buffering.');
  const buf = (k: keyof typeof BUFFERING): number => optInt(bo, k, BUFFERING[k], `extension.telemetry.buffering.${k}`) ?? BUFFERING[k].default;
  return {
    host: optString(t, 'host', 'extension.telemetry.host') ?? readVar(env, VARS.telemetryHost) ?? VARS.telemetryHost.default,
    port: optInt(t, 'port', VARS.telemetryPort, 'extension.telemetry.port') ?? readVar(env, VARS.telemetryPort),
    buffering: { maxItems: buf('maxItems'), maxBytes: buf('maxBytes'), timeoutMs: buf('timeoutMs') },
    forwardLogs: optBool(t, 'forwardLogs', 'extension.telemetry.forwardLogs') ?? readVar(env, VARS.forwardLogs),
    bodyTimeoutMs: 5000,
  };
}
