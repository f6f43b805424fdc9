import type { Attributes, Link, Span, SpanKind } from '@opentelemetry/api';

/** Values of the `faas.trigger` attribute. */
export type FaasTrigger = 'datasource' | 'http' | 'pubsub' | 'timer' | 'other';

/** What the event's shape tells about the invocation. Produced by `detectTrigger`. */
export interface TriggerInfo {
  /** Short family name, e.g. `api-gateway-v2`, `sqs`, `direct`. */
  source: string;
  trigger: FaasTrigger;
  kind: SpanKind;
  /** Span name; `undefined` means the function name. */
  name?: string;
  attributes: Attributes;
  /** Links to upstream contexts (one per batch record that carries one), capped. */
  links: Link[];
  /** Header-like carrier for W3C / X-Ray extraction (keys lower-cased). */
  carrier?: Record<string, string>;
  /** Sets result-dependent attributes, e.g. `http.response.status_code`; 5xx → ERROR. */
  onResult?: (result: unknown, span: Span) => void;
}

/** Options of trigger detection. */
export interface TriggerOptions {
  /** Most links per invocation span. Default 32. */
  maxLinks: number;
}
