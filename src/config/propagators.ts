// Propagator names: from the option, else OTEL_PROPAGATORS, else the specification's default.
// A name nobody knows is a typo more often than not: it warns once and is dropped.
import type { Env } from './env.js';
import { warnOnce } from './warnings.js';
import { readVar, VARS } from './variables.js';

/** Names the library implements itself. */
export const BUILT_IN_PROPAGATORS = ['tracecontext', 'baggage', 'xray', 'xray-lambda', 'none'] as const;
/** Other names of the OpenTelemetry specification, left to a registered global propagator. */
const SPEC_PROPAGATORS = ['b3', 'b3multi', 'jaeger', 'ottrace', 'xray'];

/** The propagator names to use, lower-cased; unknown names dropped with one warning. */
export function resolvePropagators(given: readonly string[] | undefined, env: Env): readonly string[] {
  const source = given !== undefined ? 'option propagators' : VARS.propagators.name;
  const names = (given ?? readVar(env, VARS.propagators) ?? VARS.propagators.default).map((n) => n.trim().toLowerCase()).filter((n) => n !== '');
  const known = names.filter((n) => (BUILT_IN_PROPAGATORS as readonly string[]).includes(n) || SPEC_PROPAGATORS.includes(n));
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    const fallback = known.length > 0 ? known : VARS.propagators.default;
    warnOnce(`propagators:${unknown.join(',')}`, `${source}: unknown propagator ${unknown.map((n) => `"${n}"`).join(', ')} ignored (known: ${[...BUILT_IN_PROPAGATORS, ...SPEC_PROPAGATORS.filter((n) => n !== 'xray')].join(', ')}); using ${fallback.join(',')}`);
    return fallback;
  }
  return names.length > 0 ? names : VARS.propagators.default;
}
