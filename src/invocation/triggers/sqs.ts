// SQS event source mapping: a batch of messages from one (or several) queues.
import { SpanKind } from '@opentelemetry/api';
import { sqsRecordContext } from './links.js';
import { batchTrigger, eventSourceOf } from './batch.js';
import * as sc from './semconv.js';
import type { TriggerInfo, TriggerOptions } from './types.js';
import { arnResource, get, str } from './util.js';

export function isSqs(firstRecord: unknown): boolean {
  return eventSourceOf(firstRecord) === 'aws:sqs';
}

export function sqs(records: readonly unknown[], options: TriggerOptions): TriggerInfo {
  return batchTrigger(
    records,
    {
      source: 'sqs',
      trigger: 'pubsub',
      kind: SpanKind.CONSUMER,
      system: sc.MESSAGING_SYSTEM_AWS_SQS,
      destinationOf: (r) => arnResource(str(get(r, 'eventSourceARN'))),
      messageIdOf: (r) => str(get(r, 'messageId')),
      contextOf: sqsRecordContext,
    },
    options,
  );
}
