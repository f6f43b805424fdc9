// Example: the otelFlush() middleware, registered first so it sees every other middleware.
import middy from '@middy/core';
import { trace } from '@opentelemetry/api';
import { otelFlush, setupTelemetry } from 'otel-lambda-flush';

setupTelemetry(); // registers the providers before it returns: no await needed
const tracer = trace.getTracer('example');

export const handler = middy(async (event) => {
  return tracer.startActiveSpan('greet', (span) => {
    span.end();
    return { greeting: `hello ${event.name}` };
  });
})
  .use(otelFlush())
  // Returns early for warm-up pings: otelFlush still ends the span and flushes.
  .use({ before: (request) => (request.event?.warmup ? 'warm' : undefined) });
