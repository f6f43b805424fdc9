// OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG, which sdk-trace 2.x no longer reads itself.
import type { Sampler } from '@opentelemetry/sdk-trace';
import { warnOnce } from '../diag.js';

type TraceSdk = typeof import('@opentelemetry/sdk-trace');

function ratio(env: NodeJS.ProcessEnv): number {
  const raw = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  if (raw === undefined || raw === '') return 1;
  const n = Number(raw);
  if (Number.isFinite(n) && n >= 0 && n <= 1) return n;
  warnOnce('env:OTEL_TRACES_SAMPLER_ARG', `OTEL_TRACES_SAMPLER_ARG="${raw}" is not a number in [0, 1]; using the default 1`);
  return 1;
}

/** The sampler OTEL_TRACES_SAMPLER names; default (and fallback) parentbased_always_on. */
export function samplerFromEnv(sdk: TraceSdk, env: NodeJS.ProcessEnv = process.env): Sampler {
  const name = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase() || 'parentbased_always_on';
  switch (name) {
    case 'always_on':
      return new sdk.AlwaysOnSampler();
    case 'always_off':
      return new sdk.AlwaysOffSampler();
    case 'traceidratio':
      return new sdk.TraceIdRatioBasedSampler(ratio(env));
    case 'parentbased_always_off':
      return new sdk.ParentBasedSampler({ root: new sdk.AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new sdk.ParentBasedSampler({ root: new sdk.TraceIdRatioBasedSampler(ratio(env)) });
    case 'parentbased_always_on':
      return new sdk.ParentBasedSampler({ root: new sdk.AlwaysOnSampler() });
    default:
      warnOnce('env:OTEL_TRACES_SAMPLER', `OTEL_TRACES_SAMPLER="${name}" is not supported; using the default parentbased_always_on`);
      return new sdk.ParentBasedSampler({ root: new sdk.AlwaysOnSampler() });
  }
}
