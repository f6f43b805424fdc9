// S3 event notifications: a data-source trigger (FaaS conventions: kind SERVER).
import { SpanKind, type Attributes } from '@opentelemetry/api';
import { batchTrigger, commonValue, eventSourceOf } from './batch.js';
import { truncate, valueLimit } from './limits.js';
import * as sc from './semconv.js';
import type { TriggerInfo, TriggerOptions } from './types.js';
import { get, str } from './util.js';

export function isS3(firstRecord: unknown): boolean {
  return eventSourceOf(firstRecord) === 'aws:s3';
}

const bucket = (r: unknown): string | undefined => str(get(get(get(r, 's3'), 'bucket'), 'name'));

/** `ObjectCreated:Put` → `insert`, `ObjectRemoved:*` / `LifecycleExpiration:*` → `delete`, other object changes → `edit`. */
function operation(record: unknown): string | undefined {
  const name = str(get(record, 'eventName'));
  if (name === undefined) return undefined;
  const kind = name.split(':')[0];
  if (kind === 'ObjectCreated') return 'insert';
  if (kind === 'ObjectRemoved' || kind === 'LifecycleExpiration') return 'delete';
  return 'edit';
}

/** Object keys arrive URL-encoded, with `+` for spaces; cut before decoding (bounded work). */
function objectKey(record: unknown, max: number): string | undefined {
  const raw = str(get(get(get(record, 's3'), 'object'), 'key'));
  if (raw === undefined) return undefined;
  try {
    return decodeURIComponent(truncate(raw, max).replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

export function s3(records: readonly unknown[], options: TriggerOptions): TriggerInfo {
  return batchTrigger(
    records,
    {
      source: 's3',
      trigger: 'datasource',
      kind: SpanKind.SERVER,
      system: null,
      destinationOf: bucket,
      extra: (all, bucketName) => {
        const attributes: Attributes = {};
        if (bucketName !== undefined) attributes[sc.FAAS_DOCUMENT_COLLECTION] = bucketName;
        const op = commonValue(all, operation);
        if (op !== undefined) attributes[sc.FAAS_DOCUMENT_OPERATION] = op;
        if (all.length === 1) {
          const key = objectKey(all[0], valueLimit(options.maxValueLength));
          if (key !== undefined) attributes[sc.FAAS_DOCUMENT_NAME] = key;
          const time = str(get(all[0], 'eventTime'));
          if (time !== undefined) attributes[sc.FAAS_DOCUMENT_TIME] = time;
        }
        return attributes;
      },
    },
    options,
  );
}
