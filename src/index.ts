// Public API of otel-lambda-flush. Re-exports only.
export type { ExportItemCounts, FlushOutcome, FlushReason, Signal, SignalFlushStatus } from './flush/types.js';
export { withFlush, type AnyFn } from './handler/with-flush.js';
export { otelFlush, type MiddyRequestLike, type OtelFlushMiddleware } from './handler/middy.js';
export { flushNow } from './invocation/lifecycle.js';
export type { FlushMode, FlushOptions, OtelLambdaOptions, RequestHookInfo, ResponseHookInfo } from './options.js';
export type { ExtensionOptions, TelemetryOptions } from './extension/options.js';
export { setupTelemetry, type SetupTelemetryOptions, type Telemetry } from './providers/setup.js';
export type { InstrumentationLike } from './providers/instrumentations.js';
export { reliableExporter, type ExporterLike, type ReliableExporterOptions } from './providers/reliable/exporter.js';
export { runShutdown } from './lifecycle/shutdown.js';
export { forEachRecord, recordSpan, type RecordSpanOptions, type RecordFailure } from './invocation/records.js';
export type { TriggerOptions } from './invocation/triggers/types.js';
export type { PropagationOptions } from './invocation/propagation.js';
export { PLATFORM_METRICS } from './extension/platform-metrics.js';

// With OTEL_LAMBDA_EXTENSION=true inside Lambda, boot the extension worker now, so its start-up
// overlaps the function's other imports; registration waits until the handler is wrapped.
import { startExtensionOnImport } from './extension/index.js';
startExtensionOnImport();
