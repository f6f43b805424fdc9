import type { Attributes, Link, Span, SpanContext, SpanKind } from '@opentelemetry/api';

/** Values of the `faas.trigger` attribute. */
export type FaasTrigger = 'datasource' | 'http' | 'pubsub' | 'timer' | 'other';

/** What the event's shape tells about the invocation. Produced by `detectTrigger`. */
export interface TriggerInfo {
  /**
   * Short family name: `api-gateway-v1`, `api-gateway-v2`, `function-url`, `alb`, `sqs`, `sns`,
   * `s3`, `eventbridge`, `eventbridge-schedule`, `dynamodb`, `kinesis` or `direct`.
   */
  source: string;
  trigger: FaasTrigger;
  kind: SpanKind;
  /** Span name; `undefined` means the function name. */
  name?: string;
  attributes: Attributes;
  /** Links to upstream contexts (one per batch record that carries one), capped. */
  links: Link[];
  /** Header-like carrier for W3C / X-Ray extraction (keys lower-cased). Never recorded. */
  carrier?: Record<string, string>;
  /** Sets result-dependent attributes, e.g. `http.response.status_code`; 5xx → ERROR. */
  onResult?: (result: unknown, span: Span) => void;
}

/** Options of trigger detection. */
export interface TriggerOptions {
  /** Most links per invocation span. Default 32. */
  maxLinks: number;
  /**
   * Longest string (in UTF-16 code units) recorded from an event: every attribute value the
   * library derives from it (`url.path`, `url.query`, `user_agent.original`, header values,
   * queue / bucket names...). Span names are cut to `min(256, maxValueLength)`. Cuts never
   * split a surrogate pair. Default 4096.
   */
  maxValueLength?: number;
  /**
   * Request headers to record as `http.request.header.<name>` (string arrays), matched
   * case-insensitively. Off by default. Headers whose name looks like a credential
   * (`authorization`, `cookie`, `x-api-key`, `x-access-token`, anything with `token`,
   * `secret`, `signature`, `key`...) and values shaped like one (a JWT, ...) are recorded
   * as `REDACTED`; at most 16 values per header.
   */
  captureRequestHeaders?: readonly string[];
  /**
   * Records `url.query` for HTTP triggers, with the values of credential-like parameters
   * (by name: `token`, `signature`, `password`, `pw`, `private_key`, `X-Amz-Credential`...;
   * or by value: a JWT...) replaced by `REDACTED`. Off by default.
   */
  captureQuery?: boolean;
  /**
   * Finds the upstream context of a batch record that the built-in rules do not cover
   * (e.g. a trace context your producer put inside Kinesis or DynamoDB data). Called for
   * records where no built-in context was found; may return `undefined`. Errors are ignored.
   */
  recordContext?: (record: unknown, source: string) => SpanContext | undefined;
}
