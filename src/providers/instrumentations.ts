// setupTelemetry({ instrumentations }): what registerInstrumentations() of
// @opentelemetry/instrumentation does, without depending on it: give each instrumentation the
// providers, and enable those not enabled yet.
import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import { warn } from '../diag.js';

/** The part of an OpenTelemetry `Instrumentation` that setupTelemetry() uses. */
export interface InstrumentationLike {
  setTracerProvider?(provider: TracerProvider): void;
  setMeterProvider?(provider: MeterProvider): void;
  setLoggerProvider?(provider: unknown): void;
  enable(): void;
  getConfig?(): { enabled?: boolean };
}

/** @throws TypeError when an entry is not an instrumentation. */
export function validateInstrumentations(list: unknown): InstrumentationLike[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new TypeError('otel-lambda-flush: setupTelemetry() option "instrumentations" must be an array');
  list.forEach((item, i) => {
    if (typeof (item as InstrumentationLike | null)?.enable !== 'function') {
      throw new TypeError(`otel-lambda-flush: setupTelemetry() option "instrumentations[${i}]" is not an instrumentation (no enable())`);
    }
  });
  return list as InstrumentationLike[];
}

export function enableInstrumentations(
  list: readonly InstrumentationLike[],
  providers: { tracerProvider?: TracerProvider; meterProvider?: MeterProvider; loggerProvider?: unknown },
): void {
  for (const inst of list) {
    try {
      if (providers.tracerProvider) inst.setTracerProvider?.(providers.tracerProvider);
      if (providers.meterProvider) inst.setMeterProvider?.(providers.meterProvider);
      if (providers.loggerProvider) inst.setLoggerProvider?.(providers.loggerProvider);
      if (inst.getConfig?.().enabled !== true) inst.enable();
    } catch (e) {
      warn('an instrumentation failed to enable', e);
    }
  }
}
