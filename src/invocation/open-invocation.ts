// One invoke in flight: its span, its context (with its scope of open child spans), its
// deadline guard, and how it ends. Nothing here is shared with other invokes.
import { trace, type Context as OtelContext, type Span } from '@opentelemetry/api';
import type { Context as LambdaContext } from 'aws-lambda';
import { warn, warnOnce } from '../diag.js';
import { flushBudget } from '../flush/budget.js';
import { InvocationScope } from '../open-spans.js';
import { armDeadlineGuard, deadlineOf } from './deadline.js';
import { InvocationContext } from './invocation-context.js';
import type { ResolvedOptions } from '../config/options.js';
import type { Flusher, FlushStrategy } from '../flush/types.js';
import { endInvocationSpan, recordError, type InvocationOutcome } from './span.js';
import type { TriggerInfo } from './triggers/types.js';

/** One invoke as the front doors see it. */
export interface Invocation {
  /** The invocation span (a non-recording one when passing through). */
  readonly span: Span;
  /** Context with the span active: run the handler in it. */
  readonly context: OtelContext;
  /** True when an outer wrapper already owns this invoke. */
  readonly passthrough: boolean;
  /** Ends the span (once) and runs the flush strategy. Never rejects. */
  finish(outcome: InvocationOutcome): Promise<void>;
}

/** What an invocation needs from the core that started it (lifecycle.ts). */
export interface InvocationOwner {
  readonly config: { readonly options: ResolvedOptions; readonly flusher: Flusher; readonly strategy: FlushStrategy };
  /** The invocation's span ended: forget it. */
  forget(inv: OpenInvocation): void;
}

/** What an OpenInvocation is made of. */
export interface OpenInvocationParts {
  core: InvocationOwner;
  span: Span;
  /** The parent context (extracted), to which the span and the scope are added. */
  parent: OtelContext;
  trigger: TriggerInfo;
  event: unknown;
  lambdaContext: LambdaContext;
  requestId: string | undefined;
}

/**
 * The deadline margin for this invoke: a margin at or above the invoke's whole remaining time
 * would end every span as a timeout, so it is cut to a tenth of that time (one warning).
 */
function effectiveMargin(marginMs: number, deadlineMs: number | undefined, now: number): number {
  if (marginMs <= 0 || deadlineMs === undefined) return marginMs;
  const remaining = deadlineMs - now;
  if (remaining <= 0 || marginMs < remaining) return marginMs;
  const cut = Math.floor(remaining / 10);
  warnOnce('deadline-margin', `deadlineMarginMs ${marginMs} is not below the invocation's time (${remaining} ms left at its start): every span would end as a timeout; using ${cut} ms`);
  return cut;
}

export class OpenInvocation implements Invocation {
  readonly passthrough = false;
  readonly span: Span;
  readonly context: OtelContext;
  readonly requestId: string | undefined;
  private readonly core: InvocationOwner;
  private readonly trigger: TriggerInfo;
  private readonly event: unknown;
  private readonly lambdaContext: LambdaContext;
  private readonly scope = new InvocationScope();
  private readonly deadlineMs: number | undefined;
  private readonly marginMs: number;
  private spanEnded = false;
  private finishing?: Promise<void>;
  private readonly cancelGuard: () => void;

  constructor(parts: OpenInvocationParts) {
    this.core = parts.core;
    this.span = parts.span;
    this.trigger = parts.trigger;
    this.event = parts.event;
    this.lambdaContext = parts.lambdaContext;
    this.requestId = parts.requestId;
    this.context = new InvocationContext(trace.setSpan(parts.parent, parts.span), this.scope);
    // One clock read for the deadline, the margin check and the guard.
    const now = Date.now();
    this.deadlineMs = deadlineOf(parts.lambdaContext, now);
    this.marginMs = effectiveMargin(parts.core.config.options.deadlineMarginMs, this.deadlineMs, now);
    this.cancelGuard = armDeadlineGuard(this.deadlineMs, this.marginMs, () => this.onDeadline(), now);
  }

  /** Ends the span once; later calls do nothing. */
  endSpan(outcome: InvocationOutcome): void {
    if (this.spanEnded) return;
    this.spanEnded = true;
    this.cancelGuard();
    try {
      endInvocationSpan(this.span, this.trigger, outcome, this.event, this.lambdaContext, this.core.config.options);
    } catch (e) {
      warn('ending the invocation span failed', e);
    }
  }

  finish(outcome: InvocationOutcome): Promise<void> {
    this.finishing ??= this.doFinish(outcome);
    return this.finishing;
  }

  /**
   * The invoke will not end normally (SIGTERM mid-invoke): end its open child spans and its
   * span as cut short. The caller flushes.
   */
  cutShort(reason: string, errorType: 'timeout' | 'shutdown'): void {
    if (this.spanEnded) return;
    this.spanEnded = true;
    this.cancelGuard();
    this.scope.endOpen(reason, errorType);
    this.scope.open = false;
    const err = new Error(reason);
    err.name = errorType === 'timeout' ? 'TimeoutError' : 'ShutdownError';
    try {
      recordError(this.span, err);
      this.span.setAttribute('error.type', errorType);
      this.span.end();
    } catch (e) {
      warn('ending the cut-short span failed', e);
    }
    this.core.forget(this);
  }

  /** Ends the span, then runs the strategy (which flushes). Resolves when it settled; never rejects. */
  private doFinish(outcome: InvocationOutcome): Promise<void> {
    this.endSpan(outcome);
    this.scope.open = false;
    const core = this.core;
    core.forget(this);
    const { options, flusher, strategy } = core.config;
    const deadlineMs = this.deadlineMs;
    try {
      return strategy
        .onInvokeEnd({
          requestId: this.requestId ?? '',
          deadlineMs: deadlineMs ?? Number.POSITIVE_INFINITY,
          spanContext: this.span.spanContext(),
          flush: (reason) => {
            const budget = flushBudget(options.flushTimeoutMs, deadlineMs, options.flushMarginMs);
            return flusher.flushQuietly ? flusher.flushQuietly(budget, reason) : flusher.flush(budget, reason);
          },
        })
        .then(undefined, strategyFailed);
    } catch (e) {
      strategyFailed(e);
      return Promise.resolve();
    }
  }

  /** The handler is still running close to the deadline: make the timeout visible now. */
  private onDeadline(): void {
    if (this.spanEnded) return;
    const { options, flusher, strategy } = this.core.config;
    try {
      if (this.requestId !== undefined) strategy.onDeadline?.(this.requestId);
    } catch (e) {
      warn('flush strategy failed at the deadline', e);
    }
    this.cutShort(`Invocation still running ${this.marginMs} ms before its deadline`, 'timeout');
    void flusher.flush(flushBudget(options.flushTimeoutMs, this.deadlineMs, Math.min(options.flushMarginMs, 10)), 'deadline');
  }
}

function strategyFailed(e: unknown): void {
  warn('flush strategy failed', e);
}
