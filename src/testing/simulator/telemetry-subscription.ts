// Validation of a Telemetry API subscription request (PUT /2022-07-01/telemetry), with Lambda's limits.
import type { TelemetryBuffering } from './types.js';

/** Schema versions the Telemetry API accepts. */
export const TELEMETRY_SCHEMA_VERSIONS = ['2022-07-01', '2022-12-13'] as const;
/** Event types one can subscribe to. */
export const TELEMETRY_TYPES = ['platform', 'function', 'extension'] as const;
/** Lambda's buffering limits and defaults. */
export const BUFFERING_LIMITS = {
  maxItems: { min: 1000, max: 10_000, default: 10_000 },
  maxBytes: { min: 262_144, max: 1_048_576, default: 262_144 },
  timeoutMs: { min: 25, max: 30_000, default: 1000 },
} as const;

/** A validated subscription. */
export interface ParsedSubscription {
  schemaVersion: string;
  types: string[];
  buffering: TelemetryBuffering;
  destination: string;
  /** The destination with `sandbox.localdomain` replaced by the telemetry host. */
  deliverTo: string;
}

/** Result of {@link parseSubscription}: the subscription, or a message for a 400 reply. */
export type SubscriptionParse = { ok: true; value: ParsedSubscription } | { ok: false; message: string };

const SANDBOX_HOSTS = new Set(['sandbox.localdomain', 'sandbox']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks a subscription body the way Lambda does; `host` is what sandbox.localdomain maps to. */
export function parseSubscription(body: unknown, host: string): SubscriptionParse {
  const bad = (message: string): SubscriptionParse => ({ ok: false, message });
  if (!isRecord(body)) return bad('body must be a JSON object');
  const { schemaVersion, types, buffering, destination } = body;
  if (typeof schemaVersion !== 'string' || !(TELEMETRY_SCHEMA_VERSIONS as readonly string[]).includes(schemaVersion)) {
    return bad(`schemaVersion must be one of ${TELEMETRY_SCHEMA_VERSIONS.join(', ')}`);
  }
  if (!Array.isArray(types) || types.length === 0 || !types.every((t) => (TELEMETRY_TYPES as readonly unknown[]).includes(t))) {
    return bad(`types must be a non-empty array of ${TELEMETRY_TYPES.join(', ')}`);
  }
  const parsedBuffering = {} as TelemetryBuffering;
  if (buffering !== undefined && !isRecord(buffering)) return bad('buffering must be an object');
  for (const key of ['maxItems', 'maxBytes', 'timeoutMs'] as const) {
    const limits = BUFFERING_LIMITS[key];
    const v = buffering?.[key];
    if (v === undefined) {
      parsedBuffering[key] = limits.default;
      continue;
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < limits.min || v > limits.max) {
      return bad(`buffering.${key} must be an integer in ${limits.min}..${limits.max}`);
    }
    parsedBuffering[key] = v;
  }
  if (!isRecord(destination)) return bad('destination must be an object');
  if (destination.protocol !== 'HTTP') return bad('destination.protocol must be HTTP');
  if (typeof destination.URI !== 'string') return bad('destination.URI must be a string');
  let url: URL;
  try {
    url = new URL(destination.URI);
  } catch {
    return bad(`destination.URI is not a URL: ${destination.URI}`);
  }
  if (url.protocol !== 'http:') return bad('destination.URI must use http://');
  if (!SANDBOX_HOSTS.has(url.hostname)) return bad('destination.URI host must be sandbox.localdomain');
  if (url.port === '' || url.port === '9001') return bad('destination.URI needs an explicit port other than 9001');
  const deliverTo = new URL(url.href);
  deliverTo.hostname = host;
  return {
    ok: true,
    value: { schemaVersion, types: [...new Set(types as string[])], buffering: parsedBuffering, destination: destination.URI, deliverTo: deliverTo.href },
  };
}
