// Event-source detection from the event's shape. One file per family; this file dispatches.
import { alb, isAlb } from './alb.js';
import { apiGatewayV1, isApiGatewayV1 } from './api-gateway-v1.js';
import { apiGatewayV2, isApiGatewayV2 } from './api-gateway-v2.js';
import { directInvoke } from './direct.js';
import { dynamoDb, isDynamoDb } from './dynamodb.js';
import { eventBridge, isEventBridge } from './eventbridge.js';
import { isKinesis, kinesis } from './kinesis.js';
import { boundTrigger, valueLimit } from './limits.js';
import { isS3, s3 } from './s3.js';
import { isSns, sns } from './sns.js';
import { isSqs, sqs } from './sqs.js';
import type { TriggerInfo, TriggerOptions } from './types.js';
import { isObject } from './util.js';

export type { TriggerInfo, TriggerOptions, FaasTrigger } from './types.js';
export { DEFAULT_MAX_LINKS } from './links.js';
export { DEFAULT_MAX_NAME_LENGTH, DEFAULT_MAX_VALUE_LENGTH } from './limits.js';

/**
 * Detects the event source from the event's shape. Never throws: malformed or unknown
 * events (including ones whose getters throw) get the direct-invoke default. Every value
 * taken from the event is cut to `maxValueLength`, the span name to 256.
 */
export function detectTrigger(event: unknown, options: TriggerOptions): TriggerInfo {
  try {
    return boundTrigger(detect(event, options) ?? directInvoke(), valueLimit(options.maxValueLength));
  } catch {
    return directInvoke();
  }
}

function detect(event: unknown, options: TriggerOptions): TriggerInfo | undefined {
  if (!isObject(event)) return undefined;
  if (isAlb(event)) return alb(event, options);
  if (isApiGatewayV2(event)) return apiGatewayV2(event, options);
  if (isApiGatewayV1(event)) return apiGatewayV1(event, options);
  const records = event.Records;
  if (Array.isArray(records) && records.length > 0) {
    const head = records[0];
    if (isSqs(head)) return sqs(records, options);
    if (isSns(head)) return sns(records, options);
    if (isS3(head)) return s3(records, options);
    if (isDynamoDb(head)) return dynamoDb(records, options);
    if (isKinesis(head)) return kinesis(records, options);
    return undefined;
  }
  if (isEventBridge(event)) return eventBridge(event);
  return undefined;
}
