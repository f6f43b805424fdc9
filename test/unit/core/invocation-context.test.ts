// The invocation's context must behave exactly as `trace.setSpan(parent, span).setValue(scope)`.
import { createContextKey, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { InvocationContext } from '../../../src/invocation/invocation-context.js';
import { InvocationScope, INVOCATION_SCOPE, scopeOf } from '../../../src/open-spans.js';

const span = trace.wrapSpanContext({ traceId: '1'.repeat(32), spanId: '2'.repeat(16), traceFlags: 1 });
const child = trace.wrapSpanContext({ traceId: '1'.repeat(32), spanId: '3'.repeat(16), traceFlags: 1 });
const OTHER = createContextKey('other');

function build() {
  const parent = ROOT_CONTEXT.setValue(OTHER, 'from the parent');
  const scope = new InvocationScope();
  return { scope, ctx: new InvocationContext(trace.setSpan(parent, span), scope), plain: trace.setSpan(parent, span).setValue(INVOCATION_SCOPE, scope) };
}

describe('InvocationContext', () => {
  it('reads as the plain context would: span, scope, the parent values, nothing else', () => {
    const { scope, ctx, plain } = build();
    for (const c of [ctx, plain]) {
      expect(trace.getSpan(c)).toBe(span);
      expect(scopeOf(c)).toBe(scope);
      expect(c.getValue(OTHER)).toBe('from the parent');
      expect(c.getValue(createContextKey('unset'))).toBeUndefined();
    }
  });

  it('setValue / deleteValue give contexts that keep the scope, span and parent values, and leave it unchanged', () => {
    const { scope, ctx } = build();
    const withChild = trace.setSpan(ctx, child);
    expect(trace.getSpan(withChild)).toBe(child);
    expect(scopeOf(withChild)).toBe(scope);
    expect(withChild.getValue(OTHER)).toBe('from the parent');
    const without = ctx.deleteValue(OTHER);
    expect(without.getValue(OTHER)).toBeUndefined();
    expect(scopeOf(without)).toBe(scope);
    expect(scopeOf(ctx.deleteValue(INVOCATION_SCOPE))).toBeUndefined();
    const other = new InvocationScope();
    expect(scopeOf(ctx.setValue(INVOCATION_SCOPE, other))).toBe(other);
    // the original is untouched
    expect(trace.getSpan(ctx)).toBe(span);
    expect(scopeOf(ctx)).toBe(scope);
    expect(ctx.getValue(OTHER)).toBe('from the parent');
  });
});
