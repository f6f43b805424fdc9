// The single per-invoke core behind both front doors: start the span (with trigger, parent
// context, cold start), run the handler inside it, end the span, let the strategy flush.
import { context, createContextKey, trace, type Context as OtelContext, type Span, type Tracer, type TracerProvider } from '@opentelemetry/api';
import type { Context as LambdaContext } from 'aws-lambda';
import { warn } from '../diag.js';
import { flushBudget } from '../flush/budget.js';
import { ProviderFlusher } from '../flush/flusher.js';
import { chooseStrategy } from '../flush/strategy.js';
import { resolveTargets } from '../flush/targets.js';
import type { FlushOutcome, FlushReason, FlushStrategy } from '../flush/types.js';
import { installSigtermHandler } from '../lifecycle/shutdown.js';
import { resolveOptions, type OtelLambdaOptions, type ResolvedOptions } from '../options.js';
import { processState, type FlushTarget } from '../state.js';
import { takeColdStart } from './cold-start.js';
import { armDeadlineGuard, deadlineOf } from './deadline.js';
import { extractParentContext } from './propagation.js';
import { endInvocationSpan, recordError, startInvocationSpan, type InvocationOutcome } from './span.js';
import { detectTrigger } from './triggers/index.js';
import type { TriggerInfo } from './triggers/types.js';

/** Marks contexts inside an invocation span, so a nested front door passes through. */
const INVOCATION_KEY = createContextKey('otel-lambda-flush.invocation');
const TRACER_NAME = 'otel-lambda-flush';

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

/** Everything an invoke needs; `strategy` is injectable (the extension provides others). */
export interface CoreConfig {
  options: ResolvedOptions;
  flusher: ProviderFlusher;
  strategy: FlushStrategy;
}

const DEFAULT_TRIGGER: TriggerInfo = { source: 'direct', trigger: 'other', kind: 1, attributes: {}, links: [] };

export class InvocationCore implements FlushTarget {
  private readonly tracers = new WeakMap<object, Tracer>();
  private readonly open = new Set<OpenInvocation>();

  constructor(readonly config: CoreConfig) {}

  get flushTimeoutMs(): number {
    return this.config.options.flushTimeoutMs;
  }

  get shutdownTimeoutMs(): number {
    return this.config.options.shutdownTimeoutMs;
  }

  flush(budgetMs: number, reason: FlushReason): Promise<FlushOutcome> {
    return this.config.flusher.flush(budgetMs, reason);
  }

  shutdown(budgetMs: number): Promise<FlushOutcome> {
    return this.config.flusher.shutdown(budgetMs);
  }

  endOpenInvocations(reason: string): void {
    for (const inv of [...this.open]) inv.endSpan({ error: new Error(reason), failed: true });
  }

  /**
   * Starts an invoke. Synchronous unless setupTelemetry() is still loading the SDK, in which
   * case the first invoke waits for it (so its span is recorded).
   */
  begin(event: unknown, lambdaContext: LambdaContext): Invocation | Promise<Invocation> {
    const pending = processState().pendingSetup;
    if (pending) return pending.then(() => this.beginNow(event, lambdaContext), () => this.beginNow(event, lambdaContext));
    return this.beginNow(event, lambdaContext);
  }

  private beginNow(event: unknown, lambdaContext: LambdaContext): Invocation {
    const state = processState();
    const requestId = typeof lambdaContext?.awsRequestId === 'string' ? lambdaContext.awsRequestId : undefined;
    const active = context.active();
    const outer = active.getValue(INVOCATION_KEY) as { open: boolean } | undefined;
    if (outer?.open || (requestId !== undefined && state.activeRequests.size > 0 && state.activeRequests.has(requestId))) {
      return passthrough(active);
    }
    // An invocation this core never saw end (e.g. a middleware threw past us): end it now,
    // late but not lost.
    if (this.open.size > 0) for (const stale of [...this.open]) void stale.finish({ error: new Error('invocation ended without the library seeing its end'), failed: true });

    const options = this.config.options;
    let trigger = DEFAULT_TRIGGER;
    try {
      trigger = detectTrigger(event, {
        maxLinks: options.maxLinks,
        captureQuery: options.captureQuery,
        captureRequestHeaders: options.captureRequestHeaders,
        recordContext: options.recordContext,
      }) ?? DEFAULT_TRIGGER;
    } catch (e) {
      warn('trigger detection failed', e);
    }
    let parent: OtelContext = active;
    try {
      parent = extractParentContext(trigger, event, lambdaContext, {
        extractor: options.extractor,
        acceptUnsampledXRay: options.acceptUnsampledXRay,
        propagators: options.propagators,
      }) ?? active;
    } catch (e) {
      warn('parent context extraction failed', e);
    }
    const span = startInvocationSpan(this.tracer(), trigger, lambdaContext, parent, takeColdStart());
    if (options.requestHook) {
      try {
        options.requestHook(span, { event, context: lambdaContext });
      } catch {
        // user hook errors are ignored
      }
    }
    // The marker outlives the invoke in contexts that leak (middy's activation); `open` tells.
    const marker = { open: true };
    const ctx = trace.setSpan(parent, span).setValue(INVOCATION_KEY, marker);
    const inv = new OpenInvocation(this, span, ctx, trigger, event, lambdaContext, requestId, deadlineOf(lambdaContext), marker);
    if (requestId !== undefined) state.activeRequests.add(requestId);
    this.open.add(inv);
    return inv;
  }

  /** @internal */
  forget(inv: OpenInvocation): void {
    this.open.delete(inv);
    if (inv.requestId !== undefined) processState().activeRequests.delete(inv.requestId);
  }

  private tracer(): Tracer {
    const provider: TracerProvider = this.config.options.tracerProvider ?? trace.getTracerProvider();
    let tracer = this.tracers.get(provider);
    if (!tracer) {
      tracer = provider.getTracer(TRACER_NAME);
      this.tracers.set(provider, tracer);
    }
    return tracer;
  }
}

class OpenInvocation implements Invocation {
  readonly passthrough = false;
  private spanEnded = false;
  private finishing?: Promise<void>;
  private readonly cancelGuard: () => void;

  constructor(
    private readonly core: InvocationCore,
    readonly span: Span,
    readonly context: OtelContext,
    private readonly trigger: TriggerInfo,
    private readonly event: unknown,
    private readonly lambdaContext: LambdaContext,
    readonly requestId: string | undefined,
    private readonly deadlineMs: number | undefined,
    private readonly marker: { open: boolean },
  ) {
    const { options } = core.config;
    this.cancelGuard = armDeadlineGuard(deadlineMs, options.deadlineMarginMs, () => this.onDeadline());
  }

  /** Ends the span once; later calls do nothing. */
  endSpan(outcome: InvocationOutcome): void {
    if (this.spanEnded) return;
    this.spanEnded = true;
    this.cancelGuard();
    try {
      endInvocationSpan(this.span, this.trigger, outcome, { event: this.event, context: this.lambdaContext }, this.core.config.options);
    } catch (e) {
      warn('ending the invocation span failed', e);
    }
  }

  finish(outcome: InvocationOutcome): Promise<void> {
    this.finishing ??= this.doFinish(outcome);
    return this.finishing;
  }

  private async doFinish(outcome: InvocationOutcome): Promise<void> {
    this.endSpan(outcome);
    this.marker.open = false;
    this.core.forget(this);
    const { options, flusher, strategy } = this.core.config;
    try {
      await strategy.onInvokeEnd({
        requestId: this.requestId ?? '',
        deadlineMs: this.deadlineMs ?? Number.POSITIVE_INFINITY,
        spanContext: this.span.spanContext(),
        flush: (reason) => flusher.flush(flushBudget(options.flushTimeoutMs, this.deadlineMs, options.flushMarginMs), reason),
      });
    } catch (e) {
      warn('flush strategy failed', e);
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
    const err = new Error(`Invocation still running ${options.deadlineMarginMs} ms before its deadline`);
    err.name = 'TimeoutError';
    this.spanEnded = true;
    try {
      recordError(this.span, err);
      this.span.setAttribute('error.type', 'timeout');
      this.span.end();
    } catch (e) {
      warn('ending the timed-out span failed', e);
    }
    void flusher.flush(flushBudget(options.flushTimeoutMs, this.deadlineMs, Math.min(options.flushMarginMs, 10)), 'deadline');
  }
}

function passthrough(active: OtelContext): Invocation {
  return {
    span: trace.getSpan(active) ?? trace.wrapSpanContext({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 }),
    context: active,
    passthrough: true,
    finish: () => Promise.resolve(),
  };
}

/** Builds the core for a front door: validates options (TypeError), flusher, strategy, SIGTERM. */
export function createCore(input: OtelLambdaOptions | undefined): InvocationCore {
  const options = resolveOptions(input);
  const flusher = new ProviderFlusher(() => resolveTargets(options), options.onFlush);
  const core = new InvocationCore({ options, flusher, strategy: chooseStrategy(options) });
  const state = processState();
  state.target = core;
  if (options.handleSigterm) installSigtermHandler();
  return core;
}

/**
 * Flushes the providers of the most recently built wrapper now, bounded by `budgetMs`
 * (default: its flush timeout). Never throws; resolves `undefined` when no wrapper exists.
 */
export async function flushNow(reason: FlushReason, budgetMs?: number): Promise<FlushOutcome | undefined> {
  const target = processState().target;
  if (!target) return undefined;
  return target.flush(budgetMs ?? target.flushTimeoutMs, reason);
}
