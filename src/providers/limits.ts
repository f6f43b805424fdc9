// The standard span and log record limit variables, which sdk-trace / sdk-logs 2.x no longer
// read themselves. Only variables that are set are passed: the SDK's defaults apply otherwise
// (attribute value length unlimited, 128 attributes / events / links).
import { warnOnce } from '../diag.js';

function limit(env: NodeJS.ProcessEnv, ...names: string[]): number | undefined {
  for (const name of names) {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (Number.isInteger(n) && n >= 0) return n;
    warnOnce(`env:${name}`, `${name}="${raw}" is not a non-negative integer; ignored`);
  }
  return undefined;
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** `spanLimits` of the TracerProvider from OTEL_SPAN_* / OTEL_ATTRIBUTE_* / OTEL_*_COUNT_LIMIT. */
export function spanLimitsFromEnv(env: NodeJS.ProcessEnv = process.env) {
  return defined({
    attributeValueLengthLimit: limit(env, 'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT'),
    attributeCountLimit: limit(env, 'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT', 'OTEL_ATTRIBUTE_COUNT_LIMIT'),
    eventCountLimit: limit(env, 'OTEL_SPAN_EVENT_COUNT_LIMIT'),
    linkCountLimit: limit(env, 'OTEL_SPAN_LINK_COUNT_LIMIT'),
    attributePerEventCountLimit: limit(env, 'OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT'),
    attributePerLinkCountLimit: limit(env, 'OTEL_LINK_ATTRIBUTE_COUNT_LIMIT'),
  });
}

/** `logRecordLimits` of the LoggerProvider from OTEL_LOGRECORD_* / OTEL_ATTRIBUTE_*. */
export function logRecordLimitsFromEnv(env: NodeJS.ProcessEnv = process.env) {
  return defined({
    attributeValueLengthLimit: limit(env, 'OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT'),
    attributeCountLimit: limit(env, 'OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT', 'OTEL_ATTRIBUTE_COUNT_LIMIT'),
  });
}
