// Environment variable readers: one rule per type, used by every module that reads the
// environment (through variables.ts). Dependency-free, like warnings.ts. An unusable value never
// throws: it warns once, naming the variable, and the default (or the clamped value) applies.
import { warnOnce } from './warnings.js';

/** The environment as the library reads it. */
export type Env = Readonly<Record<string, string | undefined>>;

const TRUE = new Set(['true', '1']);
const FALSE = new Set(['false', '0']);

function raw(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
}

/** `true`/`1` and `false`/`0`, any case; unset or empty → `fallback`; anything else warns. */
export function envBool(env: Env, name: string, fallback: boolean): boolean;
export function envBool(env: Env, name: string, fallback: boolean | undefined): boolean | undefined;
export function envBool(env: Env, name: string, fallback: boolean | undefined): boolean | undefined {
  const v = raw(env, name)?.toLowerCase();
  if (v === undefined) return fallback;
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  warnOnce(`env:${name}`, `${name}="${env[name]}" is not true/false (or 1/0); using the default ${String(fallback ?? '(unset)')}`);
  return fallback;
}

/**
 * A whole number in `min..max`: unparseable → warns and `fallback`; out of range → warns and
 * the nearest bound. `forbidden` values (e.g. a reserved port) warn and give `fallback`.
 */
export function envInt(env: Env, name: string, fallback: number, min: number, max: number, forbidden: readonly number[] = []): number {
  const v = raw(env, name);
  if (v === undefined) return fallback;
  const n = /^-?\d+$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    warnOnce(`env:${name}`, `${name}="${v}" is not a whole number; using the default ${fallback}`);
    return fallback;
  }
  if (forbidden.includes(n)) {
    warnOnce(`env:${name}`, `${name}=${n} is not allowed; using the default ${fallback}`);
    return fallback;
  }
  if (n < min || n > max) {
    const clamped = Math.min(max, Math.max(min, n));
    warnOnce(`env:${name}`, `${name}=${n} is outside ${min}..${max}; using ${clamped}`);
    return clamped;
  }
  return n;
}

/** One of `values` (case-insensitive); anything else warns and gives `fallback`. */
export function envEnum<T extends string>(env: Env, name: string, values: readonly T[], fallback: T | undefined): T | undefined {
  const v = raw(env, name)?.toLowerCase();
  if (v === undefined) return fallback;
  if ((values as readonly string[]).includes(v)) return v as T;
  warnOnce(`env:${name}`, `${name}="${env[name]}" is not one of ${values.join(', ')}; using the default ${fallback ?? '(automatic)'}`);
  return fallback;
}

/** A comma-separated list, trimmed, empty items dropped; `undefined` when unset or empty. */
export function envList(env: Env, name: string): string[] | undefined {
  const v = raw(env, name);
  if (v === undefined) return undefined;
  const items = v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  return items.length > 0 ? items : undefined;
}

/** A non-empty trimmed string, else `fallback`. */
export function envString(env: Env, name: string, fallback: string): string;
export function envString(env: Env, name: string, fallback?: string): string | undefined;
export function envString(env: Env, name: string, fallback?: string): string | undefined {
  return raw(env, name) ?? fallback;
}
