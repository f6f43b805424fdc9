// What the `otel-lambda-flush/register` preload does, shared by its ESM and CommonJS entries.
// Only OTEL_* configuration, no handler wrapping: that stays in code (or in the zero-code
// handler module). One function per step, so that more main-thread work can be added here.
import { setupTelemetry } from '../index.js';

/** Sets up the default providers from OTEL_* env vars; never rejects (a failure is reported through diag). */
export function register(): Promise<void> {
  try {
    return setupTelemetry().then(
      () => undefined,
      () => undefined,
    );
  } catch {
    return Promise.resolve(); // a TypeError for bad options: impossible without options, kept safe
  }
}
