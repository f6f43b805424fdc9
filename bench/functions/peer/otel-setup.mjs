// The peer, set up the way @opentelemetry/instrumentation-aws-lambda's README describes
// (a file preloaded with NODE_OPTIONS=--require), with the same providers and exporters as
// this library's setupTelemetry(): a tracer provider with BatchSpanProcessor +
// OTLPTraceExporter, registered globally with the AsyncLocalStorage context manager and
// W3C propagators (what NodeTracerProvider.register() does; sdk-trace-node is not a
// dependency here), a MeterProvider with a periodic OTLP/HTTP metrics reader, and
// registerInstrumentations with AwsLambdaInstrumentation. The instrumentation force-flushes
// both providers itself before each invoke returns.
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { AwsLambdaInstrumentation } from '@opentelemetry/instrumentation-aws-lambda';
import { detectResources, envDetector } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

// OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES, as the README's NodeSDK would read them.
const resource = detectResources({ detectors: [envDetector] });

const tracerProvider = new BasicTracerProvider({
  resource,
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
});
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(
  new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
);
trace.setGlobalTracerProvider(tracerProvider);

const meterProvider = new MeterProvider({
  resource,
  readers: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter() })],
});
metrics.setGlobalMeterProvider(meterProvider);

registerInstrumentations({ instrumentations: [new AwsLambdaInstrumentation()] });
