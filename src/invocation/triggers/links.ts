// Links from a batch's records to the contexts their producers sent.
import { isSpanContextValid, type Attributes, type Link, type SpanContext } from '@opentelemetry/api';
import { parseTraceparent, parseXRayHeader } from './trace-headers.js';
import type { TriggerOptions } from './types.js';
import { get, isObject } from './util.js';

/** Default of `maxLinks`. */
export const DEFAULT_MAX_LINKS = 32;
/** Records scanned per event at most (an SQS batch holds up to 10,000). */
export const MAX_SCANNED_RECORDS = 10_000;

/** A batch record's upstream context and the attributes of its link. */
export interface RecordContext {
  spanContext: SpanContext;
  attributes?: Attributes;
}

/** Upstream context of a record; `undefined` when it carries none. */
export type RecordContextReader = (record: unknown) => RecordContext | undefined;

/**
 * One link per record that carries an upstream context, in record order, at most
 * `options.maxLinks`. The user's `recordContext` is asked for records the reader finds
 * nothing in.
 */
export function recordLinks(
  records: readonly unknown[],
  source: string,
  read: RecordContextReader | undefined,
  options: TriggerOptions,
): Link[] {
  const max = linkLimit(options.maxLinks);
  const links: Link[] = [];
  const scan = Math.min(records.length, MAX_SCANNED_RECORDS);
  for (let i = 0; i < scan && links.length < max; i++) {
    const found = recordContext(records[i], source, read, options);
    if (found) links.push(found.attributes ? { context: found.spanContext, attributes: found.attributes } : { context: found.spanContext });
  }
  return links;
}

/** Built-in reader first, then the user's `recordContext`. Never throws. */
export function recordContext(
  record: unknown,
  source: string,
  read: RecordContextReader | undefined,
  options: Pick<TriggerOptions, 'recordContext'>,
): RecordContext | undefined {
  try {
    const found = read?.(record);
    if (found) return found;
    const custom = options.recordContext?.(record, source);
    return custom && isSpanContextValid(custom) ? { spanContext: { ...custom, isRemote: true } } : undefined;
  } catch {
    return undefined;
  }
}

/** `maxLinks` as a usable bound: a non-negative integer, else the default. */
export function linkLimit(maxLinks: unknown): number {
  return typeof maxLinks === 'number' && Number.isInteger(maxLinks) && maxLinks >= 0 ? maxLinks : DEFAULT_MAX_LINKS;
}

/**
 * SQS: the W3C context a producer put in `messageAttributes.traceparent`/`tracestate`
 * (what OpenTelemetry's AWS SDK instrumentation injects), else the `AWSTraceHeader` system
 * attribute (X-Ray format, set by AWS when the sender was traced).
 */
export function sqsRecordContext(record: unknown): RecordContext | undefined {
  const attrs = get(record, 'messageAttributes');
  const w3c = parseTraceparent(
    attributeValue(attrs, 'traceparent', 'stringValue'),
    attributeValue(attrs, 'tracestate', 'stringValue'),
  );
  const spanContext = w3c ?? parseXRayHeader(get(get(record, 'attributes'), 'AWSTraceHeader'))?.spanContext;
  return spanContext ? withMessageId(spanContext, get(record, 'messageId')) : undefined;
}

/** SNS: `Sns.MessageAttributes.traceparent`/`tracestate` (`{Type, Value}`). */
export function snsRecordContext(record: unknown): RecordContext | undefined {
  const sns = get(record, 'Sns');
  const attrs = get(sns, 'MessageAttributes');
  const spanContext = parseTraceparent(
    attributeValue(attrs, 'traceparent', 'Value'),
    attributeValue(attrs, 'tracestate', 'Value'),
  );
  return spanContext ? withMessageId(spanContext, get(sns, 'MessageId')) : undefined;
}

function withMessageId(spanContext: SpanContext, id: unknown): RecordContext {
  return typeof id === 'string' ? { spanContext, attributes: { 'messaging.message.id': id } } : { spanContext };
}

/** Case-insensitive message attribute lookup (`{ stringValue }` or `{ Value }`). */
function attributeValue(attrs: unknown, name: string, field: string): unknown {
  if (!isObject(attrs)) return undefined;
  if (name in attrs) return get(attrs[name], field);
  for (const [key, value] of Object.entries(attrs)) {
    if (key.toLowerCase() === name) return get(value, field);
  }
  return undefined;
}
