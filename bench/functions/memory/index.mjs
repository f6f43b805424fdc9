// The memory bench's function: the library's default setup around a no-op handler, plus the
// bench's memory probes: `{ "gc": true }` answers with the heap after a full GC; `{ "mem": true }`
// with where the memory is (main and extension-worker V8 heaps, anonymous vs file RSS). Loaded
// unbundled (self-reference to the built package), so `npm run build` must have run.
import { readFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';
import { setupTelemetry, withFlush } from 'otel-lambda-flush';
import { memoryProbe } from '../probe.mjs';

await setupTelemetry();

const MiB = 1048576;

async function whereIsMemory() {
  globalThis.gc?.();
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, Math.round(s.physical_space_size / MiB)]));
  const worker = globalThis[Symbol.for('otel-lambda-flush.extension')]?.bridge?.worker;
  const workerHeap = worker && typeof worker.getHeapStatistics === 'function' ? await worker.getHeapStatistics() : undefined;
  return {
    rssMiB: Math.round(kb('VmRSS') / 1024),
    rssAnonMiB: Math.round(kb('RssAnon') / 1024),
    rssFileMiB: Math.round(kb('RssFile') / 1024),
    threads: kb('Threads'),
    mainHeapSpacesMiB: spaces,
    mainExternalMiB: Math.round(process.memoryUsage().external / MiB),
    workerHeap: workerHeap && {
      totalPhysicalMiB: Math.round(workerHeap.total_physical_size / MiB),
      usedMiB: Math.round(workerHeap.used_heap_size / MiB),
      mallocedMiB: Math.round(workerHeap.malloced_memory / MiB),
      peakMallocedMiB: Math.round(workerHeap.peak_malloced_memory / MiB),
    },
  };
}

export const handler = withFlush(async (event) => (event?.mem ? whereIsMemory() : (memoryProbe(event) ?? { ok: true })));
