// Checks of options given in code. A wrong TYPE is a programming mistake: it throws a TypeError
// naming the option when the wrapper is built, so it shows in the first local run. A number of
// the right type outside its range warns once and is clamped, like the same env variable.
import { warnOnce } from './warnings.js';
import type { IntVar } from './variables.js';

/** A plain object (not null, not an array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'number' ? `number ${v}` : typeof v;
}

/** Throws the library's TypeError for option `path`. */
export function fail(path: string, expected: string, got: unknown): never {
  throw new TypeError(`otel-lambda-flush: option "${path}" must be ${expected}, got ${kindOf(got)}`);
}

/** A whole number in the variable's range (clamped with a warning), or undefined when absent. */
export function optInt(o: Record<string, unknown>, key: string, range: Pick<IntVar, 'min' | 'max'> & { forbidden?: readonly number[] }, path = key): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(path, 'a whole number', v);
  if (range.forbidden?.includes(v)) fail(path, `not ${v}`, v);
  if (v < range.min || v > range.max) {
    const clamped = Math.min(range.max, Math.max(range.min, v));
    warnOnce(`option:${path}`, `option ${path}=${v} is outside ${range.min}..${range.max}; using ${clamped}`);
    return clamped;
  }
  return v;
}

/** A function, or undefined when absent. */
export function optFn<T>(o: Record<string, unknown>, key: string, path = key): T | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'function') fail(path, 'a function', v);
  return v as T;
}

/** A boolean, or undefined when absent. */
export function optBool(o: Record<string, unknown>, key: string, path = key): boolean | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') fail(path, 'a boolean', v);
  return v;
}

/** A non-empty string, or undefined when absent. */
export function optString(o: Record<string, unknown>, key: string, path = key): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.trim() === '') fail(path, 'a non-empty string', v);
  return v.trim();
}

/** An array of strings, or undefined when absent. */
export function optStrings(o: Record<string, unknown>, key: string, path = key): readonly string[] | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) fail(path, 'an array of strings', v);
  return v as readonly string[];
}

/** An object with a `method()` (an OpenTelemetry provider), or undefined when absent. */
export function optProvider<T>(o: Record<string, unknown>, key: string, method: string): T | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (!isObject(v) || typeof v[method] !== 'function') fail(key, `an object with a ${method}() method`, v);
  return v as T;
}

/** Throws for keys not in `known` (a typo would otherwise be silently ignored). */
export function rejectUnknown(o: Record<string, unknown>, known: ReadonlySet<string>, prefix = ''): void {
  for (const key of Object.keys(o)) {
    if (!known.has(key)) throw new TypeError(`otel-lambda-flush: unknown option "${prefix}${key}"`);
  }
}
