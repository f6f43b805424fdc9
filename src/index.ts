// Public API of otel-lambda-flush. Re-exports only.
export type { FlushOutcome, FlushReason, Signal, SignalFlushStatus } from './flush/types.js';
