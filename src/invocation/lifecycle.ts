// The single per-invoke core behind both front doors: start the span (with trigger, parent
// context, cold start), run the handler inside it, end the span, let the strategy flush.
// Everything about one invoke lives in its OpenInvocation and its context: any number of
// invokes may overlap in one thread (Lambda Managed Instances).
import { context, ROOT_CONTEXT, trace, type Context as OtelContext, type Span, type Tracer, type TracerProvider } from '@opentelemetry/api';
import type { Context as LambdaContext } from 'aws-lambda';
import type { ResolvedOptions } from '../config/options.js';
import { warn } from '../diag.js';
import type { FlushStrategy } from '../flush/types.js';
import type { Flusher } from '../flush/types.js';
import type { FlushOutcome, FlushReason } from '../outcome.js';
import { scopeOf } from '../open-spans.js';
import { processState, type FlushTarget, type ProcessState } from '../state.js';
import { takeColdStart } from './cold-start.js';
import { OpenInvocation, type Invocation } from './open-invocation.js';
import { extractParentContext, type PropagationOptions } from './propagation.js';
import { startInvocationSpan } from './span.js';
import { detectTrigger } from './triggers/index.js';
import type { TriggerInfo, TriggerOptions } from './triggers/types.js';
import { callUserCode, containRecordContext } from './user-code.js';

export type { Invocation } from './open-invocation.js';

/** The name of the tracer the library's spans come from. */
export const TRACER_NAME = 'otel-lambda-flush';

/** Everything an invoke needs, built once per wrapper (src/compose.ts). */
export interface CoreConfig {
  options: ResolvedOptions;
  flusher: Flusher & { shutdown(budgetMs: number): Promise<FlushOutcome> };
  strategy: FlushStrategy;
  /** The providers the flusher flushes, resolved now (for de-duplication at SIGTERM). */
  providers: () => readonly unknown[];
}

const DEFAULT_TRIGGER: TriggerInfo = { source: 'direct', trigger: 'other', kind: 1, attributes: {}, links: [] };

export class InvocationCore implements FlushTarget {
  private readonly tracers = new WeakMap<object, Tracer>();
  private readonly open = new OpenSet();
  // Built once: the options never change after the wrapper is built.
  private readonly triggerOptions: TriggerOptions;
  private readonly propagationOptions: PropagationOptions;
  /** True when only headers can give a parent (no extractor, no X-Ray propagator). */
  private readonly parentFromHeadersOnly: boolean;

  constructor(readonly config: CoreConfig) {
    const o = config.options;
    this.triggerOptions = {
      maxLinks: o.maxLinks,
      maxValueLength: o.maxAttributeLength,
      captureQuery: o.captureQuery,
      captureRequestHeaders: o.captureRequestHeaders,
      recordContext: containRecordContext(o.recordContext),
    };
    this.propagationOptions = { extractor: o.extractor, acceptUnsampledXRay: o.acceptUnsampledXRay, propagators: o.propagators, concurrent: o.concurrent };
    this.parentFromHeadersOnly = o.extractor === undefined && !o.propagators.includes('xray') && !o.propagators.includes('xray-lambda');
  }

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

  providers(): readonly unknown[] {
    return this.config.providers();
  }

  endOpenInvocations(reason: string): void {
    for (const inv of this.open.list()) inv.cutShort(reason, 'shutdown');
  }

  /**
   * Starts an invoke. Synchronous unless setupTelemetry() is still loading the SDK, in which
   * case the first invoke waits for it (so its span is recorded).
   */
  begin(event: unknown, lambdaContext: LambdaContext): Invocation | Promise<Invocation> {
    const state = processState();
    const pending = state.pendingSetup;
    if (pending) return pending.then(() => this.beginNow(event, lambdaContext, processState()), () => this.beginNow(event, lambdaContext, processState()));
    return this.beginNow(event, lambdaContext, state);
  }

  private beginNow(event: unknown, lambdaContext: LambdaContext, state: ProcessState): Invocation {
    const requestId = typeof lambdaContext?.awsRequestId === 'string' ? lambdaContext.awsRequestId : undefined;
    const active = context.active();
    if (scopeOf(active)?.open || (requestId !== undefined && isActive(state, requestId))) {
      return passthrough(active);
    }
    const options = this.config.options;
    // One invoke at a time per environment (not Managed Instances): an invocation this core
    // never saw end (a middleware threw past us) is over now — end it, late but not lost.
    if (!options.concurrent && this.open.size > 0) {
      for (const stale of this.open.list()) void stale.finish({ error: new Error('invocation ended without the library seeing its end'), failed: true });
    }
    const trigger = this.trigger(event);
    const parent = this.parent(trigger, event, lambdaContext, active);
    const span = startInvocationSpan(this.tracer(), trigger, lambdaContext, parent, takeColdStart());
    if (options.requestHook !== undefined) {
      callUserCode('requestHook', options.requestHook, span, { event, context: lambdaContext });
    }
    const inv = new OpenInvocation({ core: this, span, parent, trigger, event, lambdaContext, requestId });
    if (requestId !== undefined) markActive(state, requestId);
    this.open.add(inv);
    return inv;
  }

  /** Called by an invocation when its span ended. */
  forget(inv: OpenInvocation): void {
    this.open.delete(inv);
    if (inv.requestId !== undefined) unmarkActive(processState(), inv.requestId);
  }

  private trigger(event: unknown): TriggerInfo {
    try {
      return detectTrigger(event, this.triggerOptions) ?? DEFAULT_TRIGGER;
    } catch (e) {
      warn('trigger detection failed', e);
      return DEFAULT_TRIGGER;
    }
  }

  private parent(trigger: TriggerInfo, event: unknown, lambdaContext: LambdaContext, active: OtelContext): OtelContext {
    // No headers and nothing else to look at: what extractParentContext answers, without its work.
    if (this.parentFromHeadersOnly && trigger.carrier === undefined) return ROOT_CONTEXT;
    try {
      return extractParentContext(trigger, event, lambdaContext, this.propagationOptions) ?? active;
    } catch (e) {
      warn('parent context extraction failed', e);
      return active;
    }
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

/** Request ids with an invocation span open, shared by every copy of the library (state.ts). */
function isActive(state: ProcessState, id: string): boolean {
  return state.activeRequest === id || (state.activeRequests.size > 0 && state.activeRequests.has(id));
}

function markActive(state: ProcessState, id: string): void {
  if (state.activeRequest === undefined) state.activeRequest = id;
  else state.activeRequests.add(id);
}

function unmarkActive(state: ProcessState, id: string): void {
  if (state.activeRequest === id) state.activeRequest = undefined;
  else state.activeRequests.delete(id);
}

/**
 * The invocations of a core that are open: a slot for the one of a one-at-a-time environment
 * (a Set's add and delete cost more than the rest of the bookkeeping), a Set for the others.
 */
class OpenSet {
  private one: OpenInvocation | undefined;
  private more: Set<OpenInvocation> | undefined;

  get size(): number {
    return (this.one === undefined ? 0 : 1) + (this.more?.size ?? 0);
  }

  add(inv: OpenInvocation): void {
    if (this.one === undefined) this.one = inv;
    else (this.more ??= new Set()).add(inv);
  }

  delete(inv: OpenInvocation): void {
    if (this.one === inv) this.one = undefined;
    else this.more?.delete(inv);
  }

  /** A copy, in no particular order. */
  list(): OpenInvocation[] {
    const all = this.more ? [...this.more] : [];
    if (this.one !== undefined) all.unshift(this.one);
    return all;
  }
}

function passthrough(active: OtelContext): Invocation {
  return {
    span: trace.getSpan(active) ?? (trace.wrapSpanContext({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 }) as Span),
    context: active,
    passthrough: true,
    finish: () => Promise.resolve(),
  };
}
