// @opentelemetry/api alone (what withFlush needs from OpenTelemetry), around the bare handler:
// splits "importing the library and wrapping" into the API's share and the library's own.
import { trace } from '@opentelemetry/api';

const tracer = trace.getTracer('bench');

export const handler = async () => tracer.startActiveSpan('noop', (span) => (span.end(), { ok: true }));
