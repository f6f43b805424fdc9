// This library with its default setup: setupTelemetry() (traces + metrics + OTLP/HTTP from
// OTEL_* env) and withFlush around the same no-op handler, as the README's quick start writes
// it (an ES module bundled with the README's esbuild command). The flush mode comes from the
// environment (OTEL_LAMBDA_FLUSH_MODE / OTEL_LAMBDA_EXTENSION), so `sync` and `after-response`
// share one bundle. The handler is the bare one (with the bench's memory probe).
// Awaiting setupTelemetry() lets module loading wait, so in after-response mode the extension
// can register from the main thread (no worker thread to start).
import { setupTelemetry, withFlush } from 'otel-lambda-flush';
import { memoryProbe } from '../probe.mjs';

await setupTelemetry();

export const handler = withFlush(async (event) => memoryProbe(event) ?? { ok: true });
