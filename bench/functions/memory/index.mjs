// The memory bench's function: the library's default setup around a no-op handler, plus the
// bench's memory probe (`{ "gc": true }` answers with the heap after a full GC). Loaded
// unbundled (self-reference to the built package), so `npm run build` must have run.
import { setupTelemetry, withFlush } from 'otel-lambda-flush';
import { memoryProbe } from '../probe.mjs';

await setupTelemetry();

export const handler = withFlush(async (event) => memoryProbe(event) ?? { ok: true });
