// Learns of items the batch processors drop on a full queue (OTEL_BSP_MAX_QUEUE_SIZE /
// OTEL_BLRP_MAX_QUEUE_SIZE) through their public self-observability option: the processor
// counts them on `otel.sdk.processor.*.processed` with `error.type=queue_full`. This meter
// provider keeps only that count, as `dropped` in the export counters.
import { createNoopMeter, type Attributes, type MeterProvider } from '@opentelemetry/api';
import type { Signal } from '../outcome.js';
import { exportControl } from './reliable/stats.js';

export function queueDropCounter(signal: Signal): MeterProvider {
  const stats = exportControl().stats[signal];
  return {
    getMeter() {
      const meter = createNoopMeter();
      meter.createCounter = (() => ({
        add(value: number, attributes?: Attributes) {
          if (attributes?.['error.type'] === 'queue_full' && Number.isFinite(value) && value > 0) stats.dropped += value;
        },
      })) as unknown as typeof meter.createCounter;
      return meter;
    },
  };
}
