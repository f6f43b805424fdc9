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
import type { RecordContextFinder } from '../config/options.js';
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
  /** Finds a record's upstream context where the built-in rules find none. */
  recordContext?: RecordContextFinder;
}

/** A record whose callback threw or rejected, as reported by {@link forEachRecord}. */
export interface RecordFailure<R = unknown> {
  /** Position of the record in the batch. */
  index: number;
  /** The record (typed from the event: `SQSEvent` → `SQSRecord`, …). */
  record: R;
  /** What the callback threw or rejected with. */
  error: unknown;
}

/** A batch event (`{ Records: [...] }`, e.g. `SQSEvent`) or an array of records. */
export type BatchLike = { readonly Records: readonly unknown[] } | readonly unknown[];

/** The record type of a batch event: `SQSEvent` → `SQSRecord`, `KinesisStreamEvent` → `KinesisStreamRecord`, an array → its element. */
export type RecordOf<E> = E extends readonly (infer R)[] ? R : E extends { readonly Records: readonly (infer R)[] } ? R : unknown;


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
 * import type { SQSHandler } from 'aws-lambda';
 * import { forEachRecord, withFlush } from 'otel-lambda-flush';
 *
 * export const handler = withFlush<SQSHandler>(async (event) => {
 *   // record: SQSRecord, failures: RecordFailure<SQSRecord>[]
 *   const failures = await forEachRecord(event, async (record) => save(record.body));
 *   return { batchItemFailures: failures.map((f) => ({ itemIdentifier: f.record.messageId })) };
 * });
 * ```
 */
export function forEachRecord<E extends BatchLike>(
  eventOrRecords: E,
  fn: (record: RecordOf<E>, span: Span, index: number) => unknown,
  options?: RecordSpanOptions,
): Promise<RecordFailure<RecordOf<E>>[]>;
/**
 * {@link forEachRecord} with the record type given (`forEachRecord<SQSRecord>(event, …)`) or
 * an event of unknown shape (anything without `Records` has no records: resolves to `[]`).
 */
export function forEachRecord<R = unknown>(
  eventOrRecords: unknown,
  fn: (record: R, span: Span, index: number) => unknown,
  options?: RecordSpanOptions,
): Promise<RecordFailure<R>[]>;
export async function forEachRecord(
  eventOrRecords: unknown,
  fn: (record: unknown, span: Span, index: number) => unknown,
  options: RecordSpanOptions = {},
): Promise<RecordFailure[]> {
  const records = recordsOf(eventOrRecords);
  const failures: RecordFailure[] = [];
  for (let index = 0; index < records.length; index++) {
    const record = records[index];
    try {
      await recordSpan(record, (span) => fn(record, span, index), options, index);
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
