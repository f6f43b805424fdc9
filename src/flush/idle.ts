// Providers that provably hold nothing to flush are not flushed: a forceFlush of an idle
// provider still walks the SDK's processors / readers with promises and timers on every invoke.
// Only cases where "nothing pending" is certain count; anything unknown is flushed.
import { meterProviderUnused } from '../internals/sdk-metrics.js';
import type { ProcessState } from '../state.js';
import type { Signal } from './types.js';

/**
 * True when flushing `provider` cannot export anything:
 * - a provider built by setupTelemetry(), whose processors count ended items and whose
 *   exporters count calls in flight: nothing ended since the last flush started, nothing in
 *   flight, and that flush finished `ok` (one cut short by its budget may have left items queued);
 * - an SDK MeterProvider (sdk-metrics 2.x) none of whose meters has an instrument or an
 *   observable callback, and whose readers have no extra metric producers: every collection is
 *   empty, so nothing is exported (instrumentations take meters they may never use).
 *   The shape is checked field by field; an unknown shape is flushed.
 */
export function nothingToFlush(signal: Signal, provider: object, state: ProcessState): boolean {
  const { health } = state;
  // Metrics have no pending count (instruments aggregate in place): only the shape rule applies.
  if (signal === 'metrics') return meterProviderUnused(provider);
  return state.countedProviders?.has(provider) === true && !state.unsettled?.[signal] && health.pending[signal] === 0 && health.inFlight[signal] === 0;
}
