// SNS subscription: one notification per invoke (the Records array holds one record).
import { SpanKind } from '@opentelemetry/api';
import { snsRecordContext } from './links.js';
import { batchTrigger, commonValue, eventSourceOf } from './batch.js';
import * as sc from './semconv.js';
import type { TriggerInfo, TriggerOptions } from './types.js';
import { arnResource, get, str } from './util.js';

export function isSns(firstRecord: unknown): boolean {
  return eventSourceOf(firstRecord) === 'aws:sns';
}

const topicArn = (r: unknown): string | undefined => str(get(get(r, 'Sns'), 'TopicArn'));

export function sns(records: readonly unknown[], options: TriggerOptions): TriggerInfo {
  return batchTrigger(
    records,
    {
      source: 'sns',
      trigger: 'pubsub',
      kind: SpanKind.CONSUMER,
      system: sc.MESSAGING_SYSTEM_AWS_SNS,
      destinationOf: (r) => arnResource(topicArn(r)),
      messageIdOf: (r) => str(get(get(r, 'Sns'), 'MessageId')),
      contextOf: snsRecordContext,
      extra: (all) => {
        const arn = commonValue(all, topicArn);
        return arn !== undefined ? { [sc.AWS_SNS_TOPIC_ARN]: arn } : {};
      },
    },
    options,
  );
}
