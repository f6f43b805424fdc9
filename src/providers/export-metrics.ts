// The export counters as metrics (`otel_lambda.export.*`, attribute `signal`), on the meter
// provider setupTelemetry() built. The instruments are created at the first failed export or
// drop, so a healthy function exports no extra metrics (and its idle meter provider is still
// skipped by the flusher).
import type { MeterProvider } from '@opentelemetry/api';
import type { Signal } from '../outcome.js';
import { exportControl, type SignalExportStats } from './reliable/stats.js';

const SIGNALS: readonly Signal[] = ['traces', 'metrics', 'logs'];
const COUNTERS: ReadonlyArray<[keyof SignalExportStats, string]> = [
  ['exported', 'Items the collector accepted'],
  ['retried', 'Items sent again after a failed attempt'],
  ['dropped', 'Items lost (keep bounds, rejected by the collector, processor queue full)'],
  ['spilled', 'Items written to stdout instead of being dropped'],
];

type Control = ReturnType<typeof exportControl> & { metricsProvider?: MeterProvider; metricsOn?: boolean };

/** The meter provider the export metrics go to (setupTelemetry()'s). */
export function setExportMetricsProvider(provider: MeterProvider): void {
  (exportControl() as Control).metricsProvider = provider;
}

/** Creates the instruments once something went wrong; the flusher calls it after each flush. */
export function exportMetricsWhenNeeded(): void {
  const control = exportControl() as Control;
  const provider = control.metricsProvider;
  if (!provider || control.metricsOn) return;
  const s = control.stats;
  const troubled = SIGNALS.some((sig) => s[sig].failedAttempts > 0 || s[sig].dropped > 0 || s[sig].kept > 0);
  if (!troubled) return;
  control.metricsOn = true;
  const meter = provider.getMeter('otel-lambda-flush');
  for (const [key, description] of COUNTERS) {
    meter.createObservableCounter(`otel_lambda.export.${key}`, { unit: '{item}', description }).addCallback((r) => {
      for (const signal of SIGNALS) r.observe(s[signal][key], { signal });
    });
  }
  meter.createObservableGauge('otel_lambda.export.kept', { unit: '{item}', description: 'Items held for a later flush' }).addCallback((r) => {
    for (const signal of SIGNALS) r.observe(s[signal].kept, { signal });
  });
}
