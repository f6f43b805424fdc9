// Pins src/internals/sdk-metrics.ts against the installed @opentelemetry/sdk-metrics (2.x).
import { InMemoryMetricExporter, AggregationTemporality, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { meterProviderUnused } from '../../../src/internals/sdk-metrics.js';

const provider = () =>
  new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.DELTA), exportIntervalMillis: 60_000 })] });

describe('sdk-metrics internals', () => {
  it('a provider no meter was taken from is unused; one with a meter is not', async () => {
    const p = provider();
    expect(meterProviderUnused(p)).toBe(true);
    p.getMeter('m').createCounter('c').add(1);
    expect(meterProviderUnused(p)).toBe(false);
    await p.shutdown();
  });

  it('an unknown shape is never taken for unused (it gets flushed)', () => {
    expect(meterProviderUnused({})).toBe(false);
    expect(meterProviderUnused({ _sharedState: { meterSharedStates: new Map(), metricCollectors: 'x' } })).toBe(false);
  });
});
