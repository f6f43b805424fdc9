// Plain-object shapes the receiver hands to tests. Ids are lowercase hex, times are unix
// nanoseconds as decimal strings (they exceed Number.MAX_SAFE_INTEGER).

/** An attribute map as decoded from OTLP `KeyValue`s. Integers beyond 2^53 stay decimal strings. */
export type ReceivedAttributes = Record<string, unknown>;

/** The instrumentation scope that produced a span, metric or log record. */
export interface ReceivedScope {
  /** Scope (tracer/meter/logger) name. */
  name: string;
  /** Scope version, when set. */
  version?: string;
}

/** Span kind, as in the OpenTelemetry API. Unspecified kinds decode as `internal`. */
export type ReceivedSpanKind = 'internal' | 'server' | 'client' | 'producer' | 'consumer';

/** One span as it arrived at the receiver. */
export interface ReceivedSpan {
  /** 32 lowercase hex characters. */
  traceId: string;
  /** 16 lowercase hex characters. */
  spanId: string;
  /** Parent span id (hex), absent for root spans. */
  parentSpanId?: string;
  /** W3C trace state, when set. */
  traceState?: string;
  /** Span name. */
  name: string;
  /** Span kind. */
  kind: ReceivedSpanKind;
  /** Start time, unix nanoseconds. */
  startTimeUnixNano: string;
  /** End time, unix nanoseconds. */
  endTimeUnixNano: string;
  /** `end - start` in milliseconds (fractional). */
  durationMs: number;
  /** Span attributes. */
  attributes: ReceivedAttributes;
  /** Span status; `message` only when non-empty. */
  status: { code: 'unset' | 'ok' | 'error'; message?: string };
  /** Span events in recorded order. */
  events: { name: string; timeUnixNano: string; attributes: ReceivedAttributes }[];
  /** Span links. */
  links: { traceId: string; spanId: string; attributes: ReceivedAttributes }[];
  /** ReceivedAttributes of the resource that exported the span. */
  resource: ReceivedAttributes;
  /** Instrumentation scope. */
  scope: ReceivedScope;
}

/** The OTLP metric data kinds. */
export type ReceivedMetricType = 'sum' | 'gauge' | 'histogram' | 'exponentialHistogram' | 'summary';

/** Buckets of an exponential histogram point, one side of zero. */
export interface ReceivedExponentialBuckets {
  /** Index of the first bucket. */
  offset: number;
  /** Count per bucket from `offset` on. */
  bucketCounts: number[];
}

/** One data point of one metric (a metric with three attribute sets gives three points). */
export interface ReceivedMetricPoint {
  /** Metric (instrument) name. */
  name: string;
  /** Instrument description, when set. */
  description?: string;
  /** Instrument unit, when set. */
  unit?: string;
  /** Which OTLP data kind carried the point. */
  type: ReceivedMetricType;
  /** Aggregation temporality (sum and histograms). */
  temporality?: 'delta' | 'cumulative';
  /** Whether a sum is monotonic (sum only). */
  monotonic?: boolean;
  /** Point attributes. */
  attributes: ReceivedAttributes;
  /** Value of a sum or gauge point. */
  value?: number;
  /** Number of recorded measurements (histograms, summary). */
  count?: number;
  /** Sum of recorded measurements (histograms, summary), when sent. */
  sum?: number;
  /** Smallest recorded measurement, when sent. */
  min?: number;
  /** Largest recorded measurement, when sent. */
  max?: number;
  /** Count per bucket (explicit-bucket histogram). */
  bucketCounts?: number[];
  /** Bucket upper bounds (explicit-bucket histogram). */
  explicitBounds?: number[];
  /** Exponential histogram scale. */
  scale?: number;
  /** Exponential histogram zero bucket count. */
  zeroCount?: number;
  /** Exponential histogram positive buckets. */
  positive?: ReceivedExponentialBuckets;
  /** Exponential histogram negative buckets. */
  negative?: ReceivedExponentialBuckets;
  /** Summary quantiles. */
  quantileValues?: { quantile: number; value: number }[];
  /** Start of the aggregation window, unix nanoseconds, when sent. */
  startTimeUnixNano?: string;
  /** Time of the point, unix nanoseconds. */
  timeUnixNano: string;
  /** ReceivedAttributes of the resource that exported the metric. */
  resource: ReceivedAttributes;
  /** Instrumentation scope. */
  scope: ReceivedScope;
}

/** One log record as it arrived. */
export interface ReceivedLogRecord {
  /** Event time, unix nanoseconds, when set. */
  timeUnixNano?: string;
  /** Time the SDK observed the record, unix nanoseconds, when set. */
  observedTimeUnixNano?: string;
  /** Severity number (1–24), when set. */
  severityNumber?: number;
  /** Severity text, when set. */
  severityText?: string;
  /** Event name, when set. */
  eventName?: string;
  /** Decoded body (string, number, boolean, array, object, Uint8Array or undefined). */
  body: unknown;
  /** Record attributes. */
  attributes: ReceivedAttributes;
  /** Trace id (hex) of the active span, when set. */
  traceId?: string;
  /** Span id (hex) of the active span, when set. */
  spanId?: string;
  /** ReceivedAttributes of the resource that exported the record. */
  resource: ReceivedAttributes;
  /** Instrumentation scope. */
  scope: ReceivedScope;
}

/** Everything received so far, deep-copied at `at` (ms since epoch). */
export interface ReceiverSnapshot {
  /** `Date.now()` when the snapshot was taken. */
  at: number;
  /** Spans received before `at`. */
  spans: ReceivedSpan[];
  /** Metric points received before `at`. */
  metrics: ReceivedMetricPoint[];
  /** Log records received before `at`. */
  logs: ReceivedLogRecord[];
}

/**
 * What happened to one HTTP request.
 * - `accepted`: decoded and stored, answered 200.
 * - `failed`: injected failure (`failureRate`), answered 503, nothing stored.
 * - `throttled`: injected throttling (`throttleRate`), answered 429 with `Retry-After`, nothing stored.
 * - `reset`: injected connection reset (`resetRate`, `resetConnections`), no answer, nothing stored.
 * - `forgotten`: arrived on a connection idle longer than `forgetIdleConnectionsMs`; reset, nothing stored.
 * - `abandoned`: the client closed the connection before the answer (e.g. its timeout fired); nothing stored.
 * - `black-hole`: body read, never answered, nothing stored.
 * - `rejected`: the request was invalid (404, 405, 400, 413, 415) or the client aborted it; nothing stored.
 */
export type RequestOutcome = 'accepted' | 'failed' | 'throttled' | 'reset' | 'forgotten' | 'abandoned' | 'black-hole' | 'rejected';

/** Log entry for one HTTP request the receiver saw. */
export interface ReceivedRequest {
  /** URL path, e.g. `/v1/traces`. */
  path: string;
  /** HTTP method. */
  method: string;
  /** Media type of the body without parameters (lowercase), `''` when absent. */
  contentType: string;
  /** Content-Encoding header (lowercase), `'identity'` when absent. */
  contentEncoding: string;
  /** Status code sent, `undefined` when no answer was sent (reset, black hole). */
  status: number | undefined;
  /** Body bytes read off the wire (before decompression). */
  bytes: number;
  /** `Date.now()` when the request arrived. */
  at: number;
  /** What the receiver did with it. */
  outcome: RequestOutcome;
  /** Why a request was rejected. */
  error?: string;
}

/**
 * Failure injection for requests that arrive after it is set. The three rates are drawn once per
 * request, so they must add up to at most 1. A collector that is down (connection refused) is
 * {@link OtlpReceiver.stop} / {@link OtlpReceiver.resume}.
 *
 * @example
 * ```ts
 * rx.setBehavior({ failureRate: 0.2 });                          // 20 % answered 503
 * rx.setBehavior({ throttleRate: 0.2, retryAfterSeconds: 1 });   // 20 % answered 429, Retry-After: 1
 * rx.setBehavior({ resetRate: 0.2 });                            // 20 % of connections reset
 * rx.setBehavior({ forgetIdleConnectionsMs: 1000 });             // NAT idle timeout while frozen
 * ```
 */
export interface ReceiverBehavior {
  /** Wait this long (ms) before answering (or failing, or resetting). A client that gives up meanwhile gets nothing stored. */
  delayMs?: number;
  /** Probability (0..1) that a request is answered 503 instead of being stored. */
  failureRate?: number;
  /** Probability (0..1) that a request is answered 429 with a `Retry-After` header instead of being stored. */
  throttleRate?: number;
  /** `Retry-After` of the 429 answers, in whole seconds; default 1. */
  retryAfterSeconds?: number;
  /** Probability (0..1) that the connection is reset (TCP RST) instead of answering. */
  resetRate?: number;
  /** Reset every connection instead of answering (as `resetRate: 1`). */
  resetConnections?: boolean;
  /** Read the body and never answer; `close()` destroys such connections. */
  blackHole?: boolean;
  /**
   * Forget a connection that stayed idle longer than this (ms), as a NAT or load balancer idle
   * timeout does while a Lambda function is frozen: nothing is sent when it is forgotten (no
   * FIN, so the client's keep-alive pool still holds it), and the next request on it is answered
   * with a reset (ECONNRESET at the client). While set, the server's own keep-alive timeout is off.
   */
  forgetIdleConnectionsMs?: number;
}

/** Options of {@link OtlpReceiver.start}. */
export interface OtlpReceiverOptions {
  /** TCP port on 127.0.0.1; `0` (default) picks a free one. */
  port?: number;
  /** Largest accepted body, compressed and decompressed (bytes); larger → 413. Default 16 MiB. */
  maxBodyBytes?: number;
}

/** Filter for {@link OtlpReceiver.spans}. */
export interface SpanFilter {
  /** Exact name or a pattern. */
  name?: string | RegExp;
  /** Every listed attribute must be present and deep-equal. */
  attributes?: Record<string, unknown>;
}
