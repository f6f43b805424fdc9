// Example: withFlush around a handler. setupTelemetry() builds OTLP/HTTP providers from the
// OTEL_* env vars (OTEL_EXPORTER_OTLP_ENDPOINT here points at the example's receiver).
import { trace } from '@opentelemetry/api';
import { setupTelemetry, withFlush } from 'otel-lambda-flush';

setupTelemetry(); // registers the providers before it returns: no await needed
const tracer = trace.getTracer('example');

export const handler = withFlush(async (event) => {
  // A user span: a child of the invocation span.
  const total = await tracer.startActiveSpan('compute-total', async (span) => {
    const sum = (event.items ?? []).reduce((a, b) => a + b, 0);
    span.setAttribute('items.count', event.items?.length ?? 0);
    span.end();
    return sum;
  });
  if (total < 0) throw new RangeError('negative total');
  return { total };
});
