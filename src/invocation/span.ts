// The invocation span: name, kind, attributes at start (so samplers see them), and the end:
// result attributes, exception, status.
import { SpanStatusCode, type Attributes, type Context as OtelContext, type Span, type Tracer } from '@opentelemetry/api';
import type { Context as LambdaContext } from 'aws-lambda';
import type { ResolvedOptions } from '../config/options.js';
import { callUserCode } from './user-code.js';
import type { TriggerInfo } from './triggers/types.js';

/** Splits an ARN `arn:aws:lambda:region:account:function:name[:qualifier]`. */
export function parseFunctionArn(arn: unknown): { accountId?: string; resourceId?: string } {
  if (typeof arn !== 'string') return {};
  const parts = arn.split(':');
  if (parts.length < 7 || parts[0] !== 'arn' || parts[2] !== 'lambda' || parts[5] !== 'function') return {};
  return { accountId: parts[4] || undefined, resourceId: parts.slice(0, 7).join(':') };
}

/**
 * `cloud.resource_id`: the function ARN with any alias replaced by the resolved version (the
 * same process serves every alias of a version), as the FaaS conventions ask.
 */
export function resourceIdOf(arn: unknown, functionVersion: unknown): string | undefined {
  const { resourceId } = parseFunctionArn(arn);
  if (!resourceId) return undefined;
  return typeof functionVersion === 'string' && functionVersion !== '' && functionVersion !== '$LATEST'
    ? `${resourceId}:${functionVersion}`
    : resourceId;
}

interface FunctionIds {
  arn: unknown;
  version: unknown;
  accountId?: string;
  resourceId?: string;
}

// Every invoke of a process carries the same ARN and version (aliases aside): parse them once.
let lastIds: FunctionIds = { arn: undefined, version: undefined };

function functionIds(arn: unknown, version: unknown): FunctionIds {
  if (lastIds.arn !== arn || lastIds.version !== version) {
    lastIds = { arn, version, accountId: parseFunctionArn(arn).accountId, resourceId: resourceIdOf(arn, version) };
  }
  return lastIds;
}

export function invocationAttributes(ctx: LambdaContext, trigger: TriggerInfo, coldStart: boolean): Attributes {
  const attrs: Attributes = { ...trigger.attributes, 'faas.trigger': trigger.trigger, 'faas.coldstart': coldStart };
  if (typeof ctx?.awsRequestId === 'string') attrs['faas.invocation_id'] = ctx.awsRequestId;
  const { accountId, resourceId } = functionIds(ctx?.invokedFunctionArn, ctx?.functionVersion);
  if (resourceId) attrs['cloud.resource_id'] = resourceId;
  if (accountId) attrs['cloud.account.id'] = accountId;
  return attrs;
}

export function startInvocationSpan(
  tracer: Tracer,
  trigger: TriggerInfo,
  lambdaContext: LambdaContext,
  parent: OtelContext,
  coldStart: boolean,
): Span {
  const fn = lambdaContext?.functionName;
  const name = trigger.name || (typeof fn === 'string' && fn !== '' ? fn : 'lambda');
  return tracer.startSpan(
    name,
    { kind: trigger.kind, attributes: invocationAttributes(lambdaContext, trigger, coldStart), links: trigger.links },
    parent,
  );
}

/** Name and message of anything thrown: an Error, a string, or a plain object with `name` / `message` / `statusCode`. */
export function describeError(error: unknown): { type: string; message: string; stack?: string } {
  if (error instanceof Error) return { type: error.name || 'Error', message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  if (typeof error === 'string') return { type: 'string', message: error };
  if (error !== null && typeof error === 'object') {
    const o = error as { name?: unknown; message?: unknown; statusCode?: unknown; errorType?: unknown };
    const type = typeof o.name === 'string' && o.name !== '' ? o.name : typeof o.errorType === 'string' && o.errorType !== '' ? o.errorType : typeof o.statusCode === 'number' ? `HTTP ${o.statusCode}` : 'object';
    const message = typeof o.message === 'string' ? o.message : safeJson(error);
    return { type, message };
  }
  return { type: typeof error, message: safeString(error) };
}

/** Records an error on the span as an exception event, `error.type` and status ERROR. */
export function recordError(span: Span, error: unknown, setStatus = true): void {
  try {
    const d = describeError(error);
    if (error instanceof Error) span.recordException(error);
    else span.recordException({ name: d.type, message: d.message });
    span.setAttribute('error.type', d.type);
    if (setStatus) span.setStatus({ code: SpanStatusCode.ERROR, message: d.message });
  } catch {
    // never let telemetry break the invoke
  }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v)?.slice(0, 1024) ?? safeString(v);
  } catch {
    return safeString(v);
  }
}

function safeString(v: unknown): string {
  try {
    return String(v);
  } catch {
    return '[unprintable]';
  }
}

/** How an invocation ended, as seen by the front door. */
export interface InvocationOutcome {
  result?: unknown;
  /** Set when the invoke failed; the same object reaches the runtime. */
  error?: unknown;
  /** The invoke failed (needed because `undefined` can be thrown). */
  failed?: boolean;
  /** An error the handler raised but a middleware turned into a response. */
  handledError?: unknown;
}

export function endInvocationSpan(
  span: Span,
  trigger: TriggerInfo,
  outcome: InvocationOutcome,
  event: unknown,
  context: LambdaContext,
  options: Pick<ResolvedOptions, 'responseHook'>,
): void {
  const failed = outcome.failed ?? outcome.error !== undefined;
  if (failed) recordError(span, outcome.error);
  else {
    try {
      trigger.onResult?.(outcome.result, span);
    } catch {
      // trigger result mapping must never break the invoke
    }
    // After the result mapping: the error's own type beats the status code as `error.type`.
    if (outcome.handledError !== undefined) recordError(span, outcome.handledError, false);
  }
  if (options.responseHook) callUserCode('responseHook', options.responseHook, span, { event, context, result: outcome.result, ...(failed ? { error: outcome.error } : {}) });
  span.end();
}
