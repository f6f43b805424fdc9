// The shared shape of the record-batch triggers (SQS, SNS, Kinesis, DynamoDB Streams, S3): one
// BatchFamily per source, turned into a TriggerInfo with links to each record's upstream context.
import { SpanKind, type Attributes } from '@opentelemetry/api';
import { MAX_SCANNED_RECORDS, recordLinks, type RecordContextReader } from './links.js';
import * as sc from './semconv.js';
import type { FaasTrigger, TriggerInfo, TriggerOptions } from './types.js';
import { get, str } from './util.js';

/** How one event family maps onto a TriggerInfo. */
export interface BatchFamily {
  source: string;
  trigger: FaasTrigger;
  kind: SpanKind;
  /** `messaging.system.name`; `null` for a non-messaging source (S3): no `messaging.*` attributes. */
  system: string | null;
  /** Name of the queue/topic/stream/table/bucket a record came from. */
  destinationOf: (record: unknown) => string | undefined;
  /** Message id of a record, set as `messaging.message.id` for single-record events. */
  messageIdOf?: (record: unknown) => string | undefined;
  /** Upstream context of a record, for links. */
  contextOf?: RecordContextReader;
  /** Family-specific attributes. */
  extra?: (records: readonly unknown[], destination: string | undefined) => Attributes;
}

/**
 * `process <destination>` with messaging attributes; the destination is left out when the
 * batch mixes sources (the span name is then just `process`).
 */
export function batchTrigger(records: readonly unknown[], family: BatchFamily, options: TriggerOptions): TriggerInfo {
  const destination = commonValue(records, family.destinationOf);
  const attributes: Attributes = { [sc.FAAS_TRIGGER]: family.trigger };
  if (family.system !== null) {
    attributes[sc.MESSAGING_SYSTEM_NAME] = family.system;
    attributes[sc.MESSAGING_OPERATION_TYPE] = sc.MESSAGING_OPERATION_PROCESS;
    attributes[sc.MESSAGING_OPERATION_NAME] = sc.MESSAGING_OPERATION_PROCESS;
    if (destination !== undefined) attributes[sc.MESSAGING_DESTINATION_NAME] = destination;
    if (records.length === 1) {
      const id = family.messageIdOf?.(records[0]);
      if (id !== undefined) attributes[sc.MESSAGING_MESSAGE_ID] = id;
    } else {
      attributes[sc.MESSAGING_BATCH_MESSAGE_COUNT] = records.length;
    }
  }
  Object.assign(attributes, family.extra?.(records, destination));
  return {
    source: family.source,
    trigger: family.trigger,
    kind: family.kind,
    name: destination !== undefined ? `process ${destination}` : 'process',
    attributes,
    links: recordLinks(records, family.source, family.contextOf, options),
  };
}

/** The value every (scanned) record agrees on, else `undefined`. */
export function commonValue(records: readonly unknown[], read: (record: unknown) => string | undefined): string | undefined {
  let value: string | undefined;
  const scan = Math.min(records.length, MAX_SCANNED_RECORDS);
  for (let i = 0; i < scan; i++) {
    const v = read(records[i]);
    if (v === undefined || (value !== undefined && v !== value)) return undefined;
    value = v;
  }
  return value;
}

/** `eventSource` (or SNS's `EventSource`) of a record. */
export function eventSourceOf(record: unknown): string | undefined {
  return str(get(record, 'eventSource')) ?? str(get(record, 'EventSource'));
}
