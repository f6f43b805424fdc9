// Anything not recognised: a direct invoke (SDK, CLI, Step Functions, console...).
import { SpanKind } from '@opentelemetry/api';
import type { TriggerInfo } from './types.js';

export function directInvoke(): TriggerInfo {
  // A literal key (sc.FAAS_TRIGGER): a computed key makes V8 build this object the slow way,
  // and it is built at every direct invoke.
  return { source: 'direct', trigger: 'other', kind: SpanKind.SERVER, attributes: { 'faas.trigger': 'other' }, links: [] };
}
