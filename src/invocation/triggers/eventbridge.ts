// EventBridge events, and scheduled events (EventBridge rules and EventBridge Scheduler).
import { SpanKind, type Attributes } from '@opentelemetry/api';
import * as sc from './semconv.js';
import type { TriggerInfo } from './types.js';
import { str } from './util.js';

/** `source` + `detail-type` + `detail`: the EventBridge envelope. */
export function isEventBridge(event: Record<string, unknown>): boolean {
  return typeof event.source === 'string' && typeof event['detail-type'] === 'string' && 'detail' in event;
}

const SCHEDULE_SOURCES = new Set(['aws.events', 'aws.scheduler']);

export function eventBridge(event: Record<string, unknown>): TriggerInfo {
  const source = str(event.source);
  const time = str(event.time);
  if (source !== undefined && SCHEDULE_SOURCES.has(source) && event['detail-type'] === 'Scheduled Event') {
    // Timer: the span keeps the function name (FaaS conventions). The schedule expression is
    // not part of the event, so `faas.cron` cannot be set from it.
    const attributes: Attributes = { [sc.FAAS_TRIGGER]: 'timer' };
    if (time !== undefined) attributes[sc.FAAS_TIME] = time;
    return { source: 'eventbridge-schedule', trigger: 'timer', kind: SpanKind.SERVER, attributes, links: [] };
  }
  const attributes: Attributes = {
    [sc.FAAS_TRIGGER]: 'pubsub',
    [sc.MESSAGING_SYSTEM_NAME]: sc.MESSAGING_SYSTEM_AWS_EVENTBRIDGE,
    [sc.MESSAGING_OPERATION_TYPE]: sc.MESSAGING_OPERATION_PROCESS,
    [sc.MESSAGING_OPERATION_NAME]: sc.MESSAGING_OPERATION_PROCESS,
  };
  const id = str(event.id);
  if (id !== undefined) attributes[sc.MESSAGING_MESSAGE_ID] = id;
  return {
    source: 'eventbridge',
    trigger: 'pubsub',
    kind: SpanKind.CONSUMER,
    // The bus name is not in the event; the event's source names what is processed.
    name: source !== undefined ? `process ${source}` : 'process',
    attributes,
    links: [],
  };
}
