// What the `otel-lambda-flush/register` preload does, shared by its ESM and CommonJS entries.
// Only OTEL_* configuration, no handler wrapping: that stays in code (or in the zero-code handler).
// Each step is its own function so that more main-thread work can be added here.
import { setupTelemetry } from '../index.js';

/** Sets up the default providers from OTEL_* env vars; never rejects (a failure is reported through diag). */
export function register(): Promise<void> {
  return setupTelemetry().then(
    () => undefined,
    () => undefined,
  );
}
