// OTLP/HTTP receiver for tests. Re-exports only.
export { OtlpReceiver } from './receiver.js';
export type {
  ReceivedAttributes,
  OtlpReceiverOptions,
  ReceivedExponentialBuckets,
  ReceivedLogRecord,
  ReceivedMetricPoint,
  ReceivedMetricType,
  ReceivedRequest,
  ReceivedScope,
  ReceivedSpan,
  ReceivedSpanKind,
  ReceiverBehavior,
  ReceiverSnapshot,
  RequestOutcome,
  SpanFilter,
} from './types.js';
