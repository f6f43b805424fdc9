// DynamoDB Streams event source mapping: item changes of one table. A data-source trigger
// (FaaS conventions: kind SERVER) with the stream-consumer attributes of the batch. Item keys
// and images are never recorded.
import { SpanKind, type Attributes } from '@opentelemetry/api';
import { batchTrigger, commonValue, eventSourceOf } from './batch.js';
import * as sc from './semconv.js';
import type { TriggerInfo, TriggerOptions } from './types.js';
import { get, isoFromEpoch, str } from './util.js';

export function isDynamoDb(firstRecord: unknown): boolean {
  return eventSourceOf(firstRecord) === 'aws:dynamodb';
}

/** `arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>` → `<name>`. */
function tableName(record: unknown): string | undefined {
  const arn = str(get(record, 'eventSourceARN'));
  const at = arn?.indexOf(':table/') ?? -1;
  return arn !== undefined && at >= 0 ? str(arn.slice(at + ':table/'.length).split('/')[0]) : undefined;
}

const OPERATIONS: Record<string, string> = { INSERT: 'insert', MODIFY: 'edit', REMOVE: 'delete' };

function operation(record: unknown): string | undefined {
  const name = str(get(record, 'eventName'));
  return name !== undefined && Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : undefined;
}

export function dynamoDb(records: readonly unknown[], options: TriggerOptions): TriggerInfo {
  return batchTrigger(
    records,
    {
      source: 'dynamodb',
      trigger: 'datasource',
      kind: SpanKind.SERVER,
      system: sc.MESSAGING_SYSTEM_AWS_DYNAMODB_STREAMS,
      destinationOf: tableName,
      messageIdOf: (r) => str(get(r, 'eventID')),
      extra: (all, table) => {
        const attributes: Attributes = {};
        if (table !== undefined) {
          attributes[sc.FAAS_DOCUMENT_COLLECTION] = table;
          attributes[sc.AWS_DYNAMODB_TABLE_NAMES] = [table];
        }
        const op = commonValue(all, operation);
        if (op !== undefined) attributes[sc.FAAS_DOCUMENT_OPERATION] = op;
        if (all.length === 1) {
          const time = isoFromEpoch(get(get(all[0], 'dynamodb'), 'ApproximateCreationDateTime'), 's');
          if (time !== undefined) attributes[sc.FAAS_DOCUMENT_TIME] = time;
        }
        return attributes;
      },
    },
    options,
  );
}
