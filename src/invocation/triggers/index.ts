// STUB until the trigger helper lands: every event is a direct invoke.
import { SpanKind } from '@opentelemetry/api';
import type { TriggerInfo, TriggerOptions } from './types.js';

export type { TriggerInfo, TriggerOptions, FaasTrigger } from './types.js';

/** Detects the event source from the event's shape. Never throws. */
export function detectTrigger(_event: unknown, _options: TriggerOptions): TriggerInfo {
  return { source: 'direct', trigger: 'other', kind: SpanKind.SERVER, attributes: {}, links: [] };
}
