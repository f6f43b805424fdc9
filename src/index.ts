// Public API of otel-lambda-flush (re-exports), and the extension's early boot (below).
export type { ExportItemCounts, FlushOutcome, FlushReason, Signal, SignalFlushStatus } from './outcome.js';
export { withFlush, type AnyFn } from './handler/with-flush.js';
export { otelFlush, type MiddyRequestLike, type OtelFlushMiddleware } from './handler/middy.js';
export { flushNow, runShutdown } from './shutdown.js';
export type { FlushMode, FlushOptions, OtelLambdaOptions, ParentExtractor, RecordContextFinder, RequestHookInfo, ResponseHookInfo } from './config/options.js';
export type { ExtensionOptions, TelemetryOptions } from './config/extension.js';
export { setupTelemetry, type SetupTelemetryOptions, type Telemetry } from './providers/setup.js';
export type { InstrumentationLike } from './providers/instrumentations.js';
export { reliableExporter, type ExporterLike, type ExportResultLike, type ReliableExporterOptions } from './providers/reliable/exporter.js';
export { forEachRecord, recordSpan, type RecordSpanOptions, type RecordFailure } from './invocation/records.js';
export type { PropagationOptions } from './invocation/propagation.js';
export { OpenSpanProcessor } from './open-spans.js';
export { PLATFORM_METRICS } from './extension/platform-metrics.js';

// The one side effect of importing the library: with OTEL_LAMBDA_EXTENSION=true inside Lambda,
// the extension worker boots now, so its start-up overlaps the function's other imports
// (registration waits until the handler is wrapped). package.json "sideEffects" lists this file.
import { bootOnImport } from './extension/early-boot.js';
bootOnImport();
