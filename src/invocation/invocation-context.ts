// The context an invocation runs in: its parent, its span, its scope of open child spans.
// The API's contexts copy their whole Map (and build three closures) at each setValue; the
// span and the scope would take two such copies per invoke. This context holds the scope
// itself over the one copy that adds the span, and behaves as that copy plus the scope would:
// a setValue / deleteValue (a child span made active, a baggage change) returns a plain API
// context that carries the scope, built at the first such call.
import type { Context } from '@opentelemetry/api';
import { INVOCATION_SCOPE, type InvocationScope } from '../open-spans.js';

export class InvocationContext implements Context {
  private full: Context | undefined;

  /** `withSpan`: the parent with the invocation span set. */
  constructor(
    private readonly withSpan: Context,
    private readonly scope: InvocationScope,
  ) {}

  getValue(key: symbol): unknown {
    return key === INVOCATION_SCOPE ? this.scope : this.withSpan.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    return this.materialized().setValue(key, value);
  }

  deleteValue(key: symbol): Context {
    return this.materialized().deleteValue(key);
  }

  private materialized(): Context {
    return (this.full ??= this.withSpan.setValue(INVOCATION_SCOPE, this.scope));
  }
}
