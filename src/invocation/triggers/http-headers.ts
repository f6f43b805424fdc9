// Opt-in request header capture (`captureRequestHeaders`): `http.request.header.<name>`, with
// credentials redacted and every value bounded.
import type { Attributes } from '@opentelemetry/api';
import { MAX_HEADER_VALUES, truncate } from './limits.js';
import { REDACTED, containsSecret, isCredentialName } from './redact.js';
import { HTTP_REQUEST_HEADER_PREFIX } from './semconv.js';
import { isObject } from './util.js';

/** Lower-cased header name → its string values (at most {@link MAX_HEADER_VALUES}). */
export type HeaderValues = (name: string) => string[] | undefined;

/** Header values from `headers` and/or `multiValueHeaders` (the latter first), by lower-cased name. */
export function headerLookup(headers: unknown, multiValueHeaders: unknown): HeaderValues {
  return (name) => {
    for (const map of [multiValueHeaders, headers]) {
      if (!isObject(map)) continue;
      for (const key in map) {
        if (!Object.hasOwn(map, key) || key.toLowerCase() !== name) continue;
        const value = map[key];
        const values: string[] = [];
        for (const v of Array.isArray(value) ? value : [value]) {
          if (typeof v === 'string' && values.push(v) >= MAX_HEADER_VALUES) break;
        }
        if (values.length > 0) return values;
      }
    }
    return undefined;
  };
}

/** A header to capture: its attribute name, and whether its name alone marks a credential. */
interface CapturedHeader {
  key: string;
  attribute: string;
  credential: boolean;
}

// The list comes from options resolved once: classify its names once, not on every invoke
// (as written: `pinCode` splits into words, `pincode` does not).
const plans = new WeakMap<readonly string[], CapturedHeader[]>();

function planOf(names: readonly string[]): CapturedHeader[] {
  let plan = plans.get(names);
  if (plan === undefined) {
    plan = [];
    for (const name of Array.isArray(names) ? names : []) {
      if (typeof name !== 'string' || name === '') continue;
      const key = name.toLowerCase();
      plan.push({ key, attribute: HTTP_REQUEST_HEADER_PREFIX + key, credential: isCredentialName(name) });
    }
    plans.set(names, plan);
  }
  return plan;
}

/**
 * Sets `http.request.header.<name>` for the listed headers that the request has: each value
 * cut to `max`; `REDACTED` when the name looks like a credential or the value holds one.
 */
export function captureHeaders(attributes: Attributes, lookup: HeaderValues, names: readonly string[], max: number): void {
  for (const header of planOf(names)) {
    const values = lookup(header.key);
    if (values === undefined || values.length === 0) continue;
    attributes[header.attribute] = values.map((v) => {
      if (header.credential) return REDACTED;
      const cut = truncate(v, max);
      return containsSecret(cut) ? REDACTED : cut;
    });
  }
}
