// The spans of one invocation that are still open, so a timeout or SIGTERM can end them before
// the process dies (the hung call that caused the timeout is the span that explains it). Ground
// floor: the invocation core creates the scope and puts it in the invocation's context; the
// span processor (added by setupTelemetry(), or by users to their own provider) files every
// span started in that context under it.
import { createContextKey, SpanStatusCode, type Context, type Span } from '@opentelemetry/api';

/** Context key of the invocation's scope. */
export const INVOCATION_SCOPE = createContextKey('otel-lambda-flush.invocation');

/** Spans tracked per invocation at most; past this, new spans are not tracked (never unbounded). */
export const MAX_TRACKED_SPANS = 1000;

/** One invocation's open spans. Lives in its context: concurrent invocations never share one. */
export class InvocationScope {
  /** False once the invocation ended: contexts that leak past it (middy's activation) tell. */
  open = true;
  /** Created at the first child span: most invokes of a wrapper without OpenSpanProcessor have none. */
  private spans: Set<Span> | undefined;

  /** Tracks a span started inside the invocation. */
  add(span: Span): void {
    if (!this.open) return;
    const spans = (this.spans ??= new Set());
    if (spans.size < MAX_TRACKED_SPANS) spans.add(span);
  }

  /** Forgets an ended span. */
  delete(span: unknown): void {
    this.spans?.delete(span as Span);
  }

  /** Number of spans still open. */
  get size(): number {
    return this.spans?.size ?? 0;
  }

  /**
   * Ends every span still open, marked as cut short (`error.type`, ERROR status with `reason`),
   * children before parents as far as start order tells (latest first). Never throws.
   */
  endOpen(reason: string, errorType: string): number {
    if (!this.spans) return 0;
    const open = [...this.spans].reverse();
    this.spans.clear();
    for (const span of open) {
      try {
        span.setAttribute('error.type', errorType);
        span.setAttribute('otel_lambda.cut_short', true);
        span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
        span.end();
      } catch {
        // a broken span must not stop the others
      }
    }
    return open.length;
  }
}

/** The scope of the invocation `ctx` belongs to, if any. */
export function scopeOf(ctx: Context): InvocationScope | undefined {
  const v = ctx.getValue(INVOCATION_SCOPE);
  return v instanceof InvocationScope ? v : undefined;
}

/**
 * A span processor that files every span started inside an invocation under that invocation,
 * so that at a timeout (the deadline guard) or SIGTERM the spans still open are ended, marked
 * `otel_lambda.cut_short` with `error.type` `timeout` / `shutdown`, and flushed with the
 * invocation span. `setupTelemetry()` adds it; with your own `TracerProvider`, add it to its
 * `spanProcessors` (before the exporting processor is fine: it exports nothing itself).
 *
 * @example
 * ```ts
 * const provider = new NodeTracerProvider({
 *   spanProcessors: [new OpenSpanProcessor(), new BatchSpanProcessor(exporter)],
 * });
 * ```
 */
export class OpenSpanProcessor {
  private readonly owner = new WeakMap<object, InvocationScope>();

  /** Files a span started inside an invocation under it (the SDK's `SpanProcessor.onStart`). */
  onStart(span: Span, parentContext: Context): void {
    const scope = scopeOf(parentContext);
    if (!scope?.open) return;
    scope.add(span);
    this.owner.set(span, scope);
  }

  /** Forgets an ended span (the SDK's `SpanProcessor.onEnd`). */
  onEnd(span: unknown): void {
    const scope = this.owner.get(span as object);
    if (scope) {
      scope.delete(span);
      this.owner.delete(span as object);
    }
  }

  /** Nothing to flush: this processor exports nothing. */
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  /** Nothing to shut down. */
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
