// The one read of @opentelemetry/sdk-metrics internals, pinned by
// test/unit/internals/sdk-metrics.test.ts for the supported version (2.x).

interface MeterProviderInternals {
  _sharedState?: {
    meterSharedStates?: unknown;
    metricCollectors?: unknown;
  };
}

/**
 * True for an SDK MeterProvider (sdk-metrics 2.x) from which no meter was ever obtained and whose
 * readers have no extra metric producers: every collection is empty, so a flush exports nothing.
 * The shape is checked field by field; an unknown shape answers false (flush it).
 */
export function meterProviderUnused(provider: object): boolean {
  const shared = (provider as MeterProviderInternals)._sharedState;
  const meters = shared?.meterSharedStates;
  const collectors = shared?.metricCollectors;
  if (!(meters instanceof Map) || meters.size !== 0 || !Array.isArray(collectors)) return false;
  for (const collector of collectors as unknown[]) {
    const reader = (collector as { _metricReader?: { _metricProducers?: unknown } } | null)?._metricReader;
    const producers = reader?._metricProducers;
    if (!Array.isArray(producers) || producers.length !== 0) return false;
  }
  return true;
}
