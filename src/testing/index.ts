// Public test kit: `otel-lambda-flush/testing`. Re-exports only.
export { OtlpReceiver } from './collector/index.js';
export type {
  OtlpReceiverOptions,
  ReceivedAttributes,
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
} from './collector/index.js';
export { fakeContext, type FakeContextOptions } from './context.js';
export { LambdaSimulator, LambdaSimulatorError } from './simulator/index.js';
export type {
  ExtensionEventType,
  ExtensionInfo,
  FreezeInfo,
  InitRecord,
  InitializationType,
  InvokeError,
  InvokeOptions,
  InvokeResult,
  InvokeStatus,
  ShutdownResult,
  SimulatorOptions,
  TelemetryBatch,
  TelemetryBuffering,
  TelemetryEvent,
  TelemetryLog,
  TelemetrySubscriptionInfo,
} from './simulator/index.js';
