// STUB until the trigger helper lands: no parent context.
import { ROOT_CONTEXT, type Context as OtelContext } from '@opentelemetry/api';
import type { Context as LambdaContext } from 'aws-lambda';
import type { TriggerInfo } from './triggers/types.js';

/** Options of parent-context extraction. */
export interface PropagationOptions {
  /** Replaces all built-in extraction when given. */
  extractor?: (event: unknown, context: LambdaContext) => OtelContext | undefined;
}

/** The context the invocation span is a child of. Never throws. */
export function extractParentContext(
  _trigger: TriggerInfo,
  _event: unknown,
  _lambdaContext: LambdaContext,
  _options: PropagationOptions,
): OtelContext {
  return ROOT_CONTEXT;
}
