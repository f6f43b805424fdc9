// Pins the "meters without instruments" rule of src/internals/sdk-metrics.ts against the
// installed @opentelemetry/sdk-metrics (2.x): the rule says true only where a collection is
// provably empty, and that premise is checked here on the real SDK.
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { meterProviderUnused } from '../../../src/internals/sdk-metrics.js';

function setup() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  return { exporter, reader, provider: new MeterProvider({ readers: [reader] }) };
}

describe('sdk-metrics internals: meters without instruments', () => {
  it('meters taken but no instrument created: unused, and a collection is indeed empty (nothing exported)', async () => {
    const { exporter, reader, provider } = setup();
    provider.getMeter('instrumentation-a');
    provider.getMeter('instrumentation-b', '1.0.0');
    expect(meterProviderUnused(provider)).toBe(true);
    const { resourceMetrics } = await reader.collect();
    expect(resourceMetrics.scopeMetrics).toHaveLength(0);
    await provider.forceFlush();
    expect(exporter.getMetrics()).toHaveLength(0);
    await provider.shutdown();
  });

  it('an instrument created (even never recorded) makes it used', async () => {
    const { provider } = setup();
    provider.getMeter('a');
    provider.getMeter('b').createHistogram('h');
    expect(meterProviderUnused(provider)).toBe(false);
    await provider.shutdown();
  });

  it('a recorded instrument is collected and exported (the rule must say used)', async () => {
    const { exporter, provider } = setup();
    provider.getMeter('a').createCounter('c').add(1);
    expect(meterProviderUnused(provider)).toBe(false);
    await provider.forceFlush();
    expect(exporter.getMetrics().length).toBeGreaterThan(0);
    await provider.shutdown();
  });

  it('an observable instrument with a callback, or a batch callback, makes it used', async () => {
    const one = setup();
    one.provider.getMeter('a').createObservableGauge('g').addCallback((r) => r.observe(1));
    expect(meterProviderUnused(one.provider)).toBe(false);
    await one.provider.shutdown();
    const two = setup();
    const meter = two.provider.getMeter('a');
    const counter = meter.createObservableCounter('c');
    meter.addBatchObservableCallback((r) => r.observe(counter, 1), [counter]);
    expect(meterProviderUnused(two.provider)).toBe(false);
    await two.provider.shutdown();
  });

  it('a meter state of an unknown shape is never taken for empty', () => {
    const shape = (state: unknown) => ({ _sharedState: { meterSharedStates: new Map([['m', state]]), metricCollectors: [] } });
    expect(meterProviderUnused(shape({}))).toBe(false);
    expect(meterProviderUnused(shape(null))).toBe(false);
    expect(meterProviderUnused(shape({ metricStorageRegistry: { _sharedRegistry: new Map(), _perCollectorRegistry: new Map() }, observableRegistry: { _callbacks: [{}], _batchCallbacks: [] } }))).toBe(false);
    expect(meterProviderUnused(shape({ metricStorageRegistry: { _sharedRegistry: new Map(), _perCollectorRegistry: new Map() }, observableRegistry: { _callbacks: [], _batchCallbacks: [] } }))).toBe(true);
  });
});
