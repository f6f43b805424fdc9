// Resource attributes of a Lambda function per the OpenTelemetry FaaS / cloud conventions,
// from the environment Lambda sets. Precedence (lowest first): detected Lambda attributes
// (service.name = function name), OTEL_RESOURCE_ATTRIBUTES, OTEL_SERVICE_NAME, code options.
import type { Attributes } from '@opentelemetry/api';
import { warnOnce } from '../diag.js';

export function lambdaResourceAttributes(env: NodeJS.ProcessEnv = process.env): Attributes {
  const attrs: Attributes = { 'cloud.provider': 'aws', 'cloud.platform': 'aws_lambda' };
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (region) attrs['cloud.region'] = region;
  if (env.AWS_LAMBDA_FUNCTION_NAME) {
    attrs['faas.name'] = env.AWS_LAMBDA_FUNCTION_NAME;
    attrs['service.name'] = env.AWS_LAMBDA_FUNCTION_NAME;
  }
  if (env.AWS_LAMBDA_FUNCTION_VERSION) attrs['faas.version'] = env.AWS_LAMBDA_FUNCTION_VERSION;
  if (env.AWS_LAMBDA_LOG_STREAM_NAME) attrs['faas.instance'] = env.AWS_LAMBDA_LOG_STREAM_NAME;
  const mem = Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
  if (Number.isInteger(mem) && mem > 0) attrs['faas.max_memory'] = mem * 1024 * 1024;
  return attrs;
}

/** Parses `key1=value1,key2=value2` (values percent-decoded); bad entries are skipped with a warning. */
export function parseResourceAttributes(raw: string | undefined): Attributes {
  const out: Attributes = {};
  if (!raw) return out;
  for (const pair of raw.split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    const key = eq > 0 ? pair.slice(0, eq).trim() : '';
    if (!key) {
      warnOnce(`env:OTEL_RESOURCE_ATTRIBUTES:${pair}`, `OTEL_RESOURCE_ATTRIBUTES entry "${pair}" is not key=value; ignored`);
      continue;
    }
    try {
      out[key] = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      warnOnce(`env:OTEL_RESOURCE_ATTRIBUTES:${key}`, `OTEL_RESOURCE_ATTRIBUTES value of "${key}" is not valid percent-encoding; ignored`);
    }
  }
  return out;
}

export function resolveResourceAttributes(env: NodeJS.ProcessEnv, extra: Attributes | undefined, serviceName: string | undefined): Attributes {
  const attrs: Attributes = { ...lambdaResourceAttributes(env), ...parseResourceAttributes(env.OTEL_RESOURCE_ATTRIBUTES) };
  if (env.OTEL_SERVICE_NAME) attrs['service.name'] = env.OTEL_SERVICE_NAME;
  Object.assign(attrs, extra ?? {});
  if (serviceName) attrs['service.name'] = serviceName;
  return attrs;
}
