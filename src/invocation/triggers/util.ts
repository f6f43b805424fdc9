// Defensive readers for untrusted event shapes: every accessor tolerates any input.

/** A plain object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` when it is a non-empty string, else `undefined`. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** `obj[key]` when `obj` is an object. */
export function get(obj: unknown, key: string): unknown {
  return isObject(obj) ? obj[key] : undefined;
}

/** The first element of an array, if any. */
export function first(value: unknown): unknown {
  return Array.isArray(value) && value.length > 0 ? value[0] : undefined;
}

/** Last `:`-separated segment of an ARN, e.g. the queue or topic name. */
export function arnResource(arn: string | undefined): string | undefined {
  if (arn === undefined) return undefined;
  const parts = arn.split(':');
  return parts.length >= 6 ? str(parts.slice(5).join(':')) : undefined;
}

/** An ISO-8601 UTC string from epoch seconds or milliseconds, or `undefined`. */
export function isoFromEpoch(value: unknown, unit: 's' | 'ms'): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const date = new Date(unit === 's' ? value * 1000 : value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Header map with lower-cased keys; first value of multi-value headers; strings only. */
export function lowerCaseHeaders(headers: unknown, multiValueHeaders?: unknown): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  if (isObject(multiValueHeaders)) {
    for (const [key, values] of Object.entries(multiValueHeaders)) {
      const value = first(values);
      if (typeof value === 'string') out[key.toLowerCase()] = value;
    }
  }
  if (isObject(headers)) {
    for (const [key, value] of Object.entries(headers)) {
      if (typeof value === 'string') out[key.toLowerCase()] = value;
    }
  }
  return out;
}
