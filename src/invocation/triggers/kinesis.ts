// Kinesis Data Streams event source mapping. Records carry no trace context of their own
// (it would be inside the payload, which is never read): links come from `recordContext`.
import { SpanKind } from '@opentelemetry/api';
import { batchTrigger, eventSourceOf } from './batch.js';
import * as sc from './semconv.js';
import type { TriggerInfo, TriggerOptions } from './types.js';
import { get, str } from './util.js';

export function isKinesis(firstRecord: unknown): boolean {
  return eventSourceOf(firstRecord) === 'aws:kinesis';
}

/** `arn:aws:kinesis:<region>:<account>:stream/<name>` → `<name>`. */
function streamName(record: unknown): string | undefined {
  const arn = str(get(record, 'eventSourceARN'));
  const at = arn?.indexOf(':stream/') ?? -1;
  return arn !== undefined && at >= 0 ? str(arn.slice(at + ':stream/'.length).split('/')[0]) : undefined;
}

export function kinesis(records: readonly unknown[], options: TriggerOptions): TriggerInfo {
  return batchTrigger(
    records,
    {
      source: 'kinesis',
      trigger: 'pubsub',
      kind: SpanKind.CONSUMER,
      system: sc.MESSAGING_SYSTEM_AWS_KINESIS,
      destinationOf: streamName,
      messageIdOf: (r) => str(get(r, 'eventID')),
      extra: (_all, stream) => (stream !== undefined ? { [sc.AWS_KINESIS_STREAM_NAME]: stream } : {}),
    },
    options,
  );
}
