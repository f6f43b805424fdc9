// A handler whose telemetry is flushed after the response: the caller gets the result at once,
// the in-process extension keeps the invoke open (billed) until the collector has it.
// Configured by env vars: OTEL_LAMBDA_EXTENSION=true (set in run.mjs, or in the function's
// configuration on AWS), flush mode `after-response`.
import { trace } from '@opentelemetry/api';
import { setupTelemetry, withFlush } from 'otel-lambda-flush';

setupTelemetry(); // registers the providers before it returns: no await needed
const tracer = trace.getTracer('example-after-response');

export const handler = withFlush(async (event) => {
  return tracer.startActiveSpan('price', (span) => {
    const total = (event.items ?? []).reduce((sum, item) => sum + item.price * item.quantity, 0);
    span.setAttribute('order.items', event.items?.length ?? 0);
    span.end();
    return { total };
  });
});
