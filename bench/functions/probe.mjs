// Memory probe shared by the bench handlers: an event `{ "gc": true }` (sent by the bench at
// fixed invoke counts; the functions run with node --expose-gc) answers with the heap after a
// full GC, which tells a leak from garbage not yet collected. Other events are not touched.
export function memoryProbe(event) {
  if (!event || event.gc !== true) return undefined;
  globalThis.gc?.();
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, rss: m.rss, external: m.external, gcExposed: typeof globalThis.gc === 'function' };
}
