// Anything not recognised: a direct invoke (SDK, CLI, Step Functions, console...).
import { SpanKind } from '@opentelemetry/api';
import * as sc from './semconv.js';
import type { TriggerInfo } from './types.js';

export function directInvoke(): TriggerInfo {
  return { source: 'direct', trigger: 'other', kind: SpanKind.SERVER, attributes: { [sc.FAAS_TRIGGER]: 'other' }, links: [] };
}
