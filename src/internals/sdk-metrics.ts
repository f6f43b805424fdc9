// The one read of @opentelemetry/sdk-metrics internals, pinned by
// test/unit/internals/sdk-metrics.test.ts and sdk-metrics-empty.test.ts for the supported
// version (2.x).

interface MeterProviderInternals {
  _sharedState?: {
    meterSharedStates?: unknown;
    metricCollectors?: unknown;
  };
}

interface MeterSharedStateInternals {
  metricStorageRegistry?: { _sharedRegistry?: unknown; _perCollectorRegistry?: unknown };
  observableRegistry?: { _callbacks?: unknown; _batchCallbacks?: unknown };
}

const emptyMap = (v: unknown): boolean => v instanceof Map && v.size === 0;
const emptyArray = (v: unknown): boolean => Array.isArray(v) && v.length === 0;

/**
 * A meter with no instrument: no metric storage (the SDK creates one per instrument when the
 * instrument is created) and no observable callback. Its collection is empty: MeterSharedState
 * returns before touching anything when it has no storage.
 */
function meterEmpty(state: unknown): boolean {
  const s = state as MeterSharedStateInternals | null | undefined;
  const storages = s?.metricStorageRegistry;
  const observables = s?.observableRegistry;
  return (
    storages !== undefined && observables !== undefined &&
    emptyMap(storages._sharedRegistry) && emptyMap(storages._perCollectorRegistry) &&
    emptyArray(observables._callbacks) && emptyArray(observables._batchCallbacks)
  );
}

/**
 * True for an SDK MeterProvider (sdk-metrics 2.x) whose every collection is empty, so a flush
 * exports nothing: none of its meters has an instrument or an observable callback (instruments
 * are never removed, so once one exists this stays false), and its readers have no extra metric
 * producers. Instrumentations take a meter whether or not they ever create an instrument; such
 * meters alone do not make the provider worth collecting. The shape is checked field by field;
 * an unknown shape answers false (flush it).
 */
export function meterProviderUnused(provider: object): boolean {
  const shared = (provider as MeterProviderInternals)._sharedState;
  const meters = shared?.meterSharedStates;
  const collectors = shared?.metricCollectors;
  if (!(meters instanceof Map) || !Array.isArray(collectors)) return false;
  if (meters.size !== 0) for (const state of meters.values()) if (!meterEmpty(state)) return false;
  for (const collector of collectors as unknown[]) {
    const reader = (collector as { _metricReader?: { _metricProducers?: unknown } } | null)?._metricReader;
    const producers = reader?._metricProducers;
    if (!Array.isArray(producers) || producers.length !== 0) return false;
  }
  return true;
}
