// Per-record child spans for batch events (SQS, SNS, Kinesis, DynamoDB Streams, S3): the
// "message span" of the messaging conventions, which only user code can create because
// records are handled inside the handler.
import {
  SpanKind,
  SpanStatusCode,
  context,
  trace,
  type Attributes,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { detectTrigger } from './triggers/index.js';
import { FAAS_TRIGGER } from './triggers/semconv.js';
import type { TriggerOptions } from './triggers/types.js';
import { isObject } from './triggers/util.js';
import { TRACER_NAME } from './lifecycle.js';

/** Options of {@link recordSpan} and {@link forEachRecord}. */
export interface RecordSpanOptions {
  /** Tracer of the record spans. Default: the global tracer `otel-lambda-flush`. */
  tracer?: Tracer;
  /** Span name. Default: `process <queue|topic|stream|table|bucket>` from the record. */
  name?: string | ((record: unknown, index: number) => string);
  /**
   * Span kind. Default `CONSUMER` for message records (SQS, SNS, Kinesis), `INTERNAL` for
   * data-source records (S3, DynamoDB Streams) and anything unrecognised.
   */
  kind?: SpanKind;
  /** Extra attributes of every record span. */
  attributes?: Attributes;
  /** Finds a record's upstream context where the built-in rules find none (see `TriggerOptions`). */
  recordContext?: TriggerOptions['recordContext'];
}

/** A record whose callback threw or rejected, as reported by {@link forEachRecord}. */
export interface RecordFailure {
  index: number;
  record: unknown;
  error: unknown;
}


/**
 * Runs `fn` inside a child span of the active span (normally the invocation span) that
 * describes one batch record: messaging attributes, and a link to the context the record's
 * producer sent (SQS `messageAttributes.traceparent` or `AWSTraceHeader`, SNS
 * `MessageAttributes.traceparent`, or your `recordContext`). The span ends when `fn`
 * settles; an error is recorded (exception event, status ERROR) and rethrown unchanged.
 *
 * @example
 * ```ts
 * export const handler = withFlush(async (event: SQSEvent) => {
 *   for (const record of event.Records) {
 *     await recordSpan(record, () => save(JSON.parse(record.body)));
 *   }
 * });
 * ```
 */
export async function recordSpan<T>(
  record: unknown,
  fn: (span: Span) => T | Promise<T>,
  options: RecordSpanOptions = {},
  index = 0,
): Promise<T> {
  const span = startRecordSpan(record, index, options);
  try {
    const result = await context.with(trace.setSpan(context.active(), span), () => fn(span));
    return result;
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : undefined });
    throw error;
  } finally {
    span.end();
  }
}

/**
 * Runs `fn` for every record of a batch event (or an array of records), one after the
 * other, each inside its own {@link recordSpan}. A failing record does not stop the others:
 * its span gets status ERROR and it is returned among the failures, e.g. to build an SQS
 * partial batch response (`batchItemFailures`). Resolves to `[]` when every record succeeded.
 *
 * @example
 * ```ts
 * export const handler = withFlush(async (event: SQSEvent) => {
 *   const failures = await forEachRecord(event, (record) => save(record));
 *   return { batchItemFailures: failures.map((f) => ({ itemIdentifier: (f.record as SQSRecord).messageId })) };
 * });
 * ```
 */
export async function forEachRecord<R = unknown>(
  eventOrRecords: unknown,
  fn: (record: R, span: Span, index: number) => unknown,
  options: RecordSpanOptions = {},
): Promise<RecordFailure[]> {
  const records = recordsOf(eventOrRecords);
  const failures: RecordFailure[] = [];
  for (let index = 0; index < records.length; index++) {
    const record = records[index];
    try {
      await recordSpan(record, (span) => fn(record as R, span, index), options, index);
    } catch (error) {
      failures.push({ index, record, error });
    }
  }
  return failures;
}

/** The records of a batch event (`event.Records`), or the array itself. */
function recordsOf(eventOrRecords: unknown): readonly unknown[] {
  if (Array.isArray(eventOrRecords)) return eventOrRecords;
  const records = isObject(eventOrRecords) ? eventOrRecords.Records : undefined;
  return Array.isArray(records) ? records : [];
}

function startRecordSpan(record: unknown, index: number, options: RecordSpanOptions): Span {
  // A one-record event describes the record: name, messaging attributes, message id, link.
  const info = detectTrigger({ Records: [record] }, { maxLinks: 1, recordContext: options.recordContext });
  const attributes: Attributes = { ...info.attributes, ...options.attributes };
  delete attributes[FAAS_TRIGGER];
  const kind = options.kind ?? (info.trigger === 'pubsub' ? SpanKind.CONSUMER : SpanKind.INTERNAL);
  const fallback = info.source === 'direct' ? 'process record' : (info.name ?? 'process record');
  const name = typeof options.name === 'function' ? safeName(() => (options.name as (r: unknown, i: number) => string)(record, index), fallback)
    : (options.name ?? fallback);
  const tracer = options.tracer ?? trace.getTracer(TRACER_NAME);
  return tracer.startSpan(name, { kind, attributes, links: info.links }, context.active());
}

function safeName(make: () => string, fallback: string): string {
  try {
    const name = make();
    return typeof name === 'string' && name.length > 0 ? name : fallback;
  } catch {
    return fallback;
  }
}
