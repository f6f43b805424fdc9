// This library with its default setup: setupTelemetry() (traces + metrics + OTLP/HTTP from
// OTEL_* env) and withFlush around the same no-op handler. The flush mode comes from the
// environment (OTEL_LAMBDA_FLUSH_MODE / OTEL_LAMBDA_EXTENSION), so `sync` and
// `after-response` share one bundle. The handler is the bare one (with the bench's memory probe).
import { setupTelemetry, withFlush } from 'otel-lambda-flush';
import { memoryProbe } from '../probe.mjs';

// CommonJS cannot await at top level: setupTelemetry() finishes in the background and the
// first invoke waits for it. Exported so bench/profile-entry.cjs can time it to completion.
export const ready = setupTelemetry();

export const handler = withFlush(async (event) => memoryProbe(event) ?? { ok: true });
