// Trigger detection and parent-context propagation end to end: real runtime client (Node 24)
// under the simulator, the library's withFlush + setupTelemetry, spans decoded by the OTLP
// receiver. Requires `npm run build` (the fixture imports 'otel-lambda-flush' from dist/).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LambdaSimulator, OtlpReceiver } from '../../src/testing/index.js';
import { startPair } from './core-helpers.js';

const taskRoot = fileURLToPath(new URL('../fixtures/triggers/', import.meta.url));
const events = fileURLToPath(new URL('../fixtures/events/', import.meta.url));
const loadEvent = (name: string): any => JSON.parse(readFileSync(`${events}${name}.json`, 'utf8'));

const UPSTREAM_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const UPSTREAM_SPAN = '00f067aa0ba902b7';

describe('triggers and propagation through the simulator', () => {
  let rx: OtlpReceiver;
  let sim: LambdaSimulator;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ rx, sim, close } = await startPair('index.handler', { taskRoot, env: { OTEL_SERVICE_NAME: 'triggers-fixture' } }));
  });
  afterAll(() => close?.());

  it('API Gateway v2 with a traceparent: a SERVER span in that trace with the HTTP attributes', async () => {
    const event = loadEvent('api-gateway-v2');
    event.headers.traceparent = `00-${UPSTREAM_TRACE}-${UPSTREAM_SPAN}-01`;
    const result = await sim.invoke(event);
    expect(result.status).toBe('success');
    expect(result.response).toMatchObject({ statusCode: 201 });
    await rx.waitFor((r) => r.spans({ name: 'POST /orders/{orderId}' }).length === 1, 10_000);
    const [span] = rx.spans({ name: 'POST /orders/{orderId}' });
    expect(span!.traceId).toBe(UPSTREAM_TRACE);
    expect(span!.parentSpanId).toBe(UPSTREAM_SPAN);
    expect(span!.kind).toBe('server');
    expect(span!.status.code).toBe('unset');
    expect(span!.attributes).toMatchObject({
      'faas.trigger': 'http',
      'http.request.method': 'POST',
      'http.route': '/orders/{orderId}',
      'url.path': '/orders/42',
      'url.scheme': 'https',
      'server.address': 'r3pmxmplak.execute-api.us-east-2.amazonaws.com',
      'client.address': '203.0.113.9',
      'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64)',
      'http.response.status_code': 201,
    });
    expect(span!.attributes).not.toHaveProperty(['url.query']);
    expect(JSON.stringify(span!.attributes)).not.toContain('secret');
  });

  it('a 5xx result: ERROR status and error.type', async () => {
    const event = loadEvent('api-gateway-v2');
    event.rawPath = '/fail';
    event.routeKey = 'GET /fail';
    event.requestContext.http.method = 'GET';
    const result = await sim.invoke(event);
    expect(result.response).toMatchObject({ statusCode: 503 });
    await rx.waitFor((r) => r.spans({ name: 'GET /fail' }).length === 1, 10_000);
    const [span] = rx.spans({ name: 'GET /fail' });
    expect(span!.status.code).toBe('error');
    expect(span!.attributes).toMatchObject({ 'http.response.status_code': 503, 'error.type': '503' });
  });

  it('an SQS batch of 3 records with upstream contexts: a CONSUMER span with 3 links', async () => {
    const event = loadEvent('sqs');
    // Record 3 carries no context in the fixture: give it a W3C one in its message attributes.
    event.Records[2].messageAttributes = {
      traceparent: { stringValue: `00-${UPSTREAM_TRACE}-${UPSTREAM_SPAN}-01`, dataType: 'String' },
    };
    const result = await sim.invoke(event);
    expect(result.status).toBe('success');
    await rx.waitFor((r) => r.spans({ name: 'process my-queue' }).length === 1, 10_000);
    const [span] = rx.spans({ name: 'process my-queue' });
    expect(span!.kind).toBe('consumer');
    expect(span!.attributes).toMatchObject({
      'faas.trigger': 'pubsub',
      'messaging.system.name': 'aws.sqs',
      'messaging.operation.type': 'process',
      'messaging.destination.name': 'my-queue',
      'messaging.batch.message_count': 3,
    });
    expect(span!.links.map((l) => [l.traceId, l.spanId])).toEqual([
      ['5759e988bd862e3fe1be46a994272793', '53995c3f42cd8ad8'],
      ['0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331'],
      [UPSTREAM_TRACE, UPSTREAM_SPAN],
    ]);
    expect(span!.links[0]!.attributes).toEqual({ 'messaging.message.id': event.Records[0].messageId });
    // A batch has no single parent: the span starts its own trace.
    expect(span!.parentSpanId ?? '').toBe('');
  });
});

describe('X-Ray propagation through the simulator (OTEL_PROPAGATORS=tracecontext,baggage,xray-lambda)', () => {
  let rx: OtlpReceiver;
  let sim: LambdaSimulator;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ rx, sim, close } = await startPair('index.handler', { taskRoot, env: { OTEL_PROPAGATORS: 'tracecontext,baggage,xray-lambda' } }));
  });
  afterAll(() => close?.());

  it('a sampled Lambda-Runtime-Trace-Id becomes the parent', async () => {
    const traceId = 'Root=1-65f1a2b3-0123456789abcdef01234567;Parent=1a2b3c4d5e6f7a8b;Sampled=1';
    const result = await sim.invoke({ job: 'sampled' }, { traceId });
    expect(result.status).toBe('success');
    await rx.waitFor((r) => r.spans().length === 1, 10_000);
    const [span] = rx.spans();
    expect(span!.traceId).toBe('65f1a2b30123456789abcdef01234567');
    expect(span!.parentSpanId).toBe('1a2b3c4d5e6f7a8b');
  });

  it('an UNSAMPLED Lambda-Runtime-Trace-Id does not drop the span: it starts a new trace', async () => {
    rx.clear();
    const traceId = 'Root=1-65f1a2b3-fedcba9876543210fedcba98;Parent=8b7a6f5e4d3c2b1a;Sampled=0';
    const result = await sim.invoke({ job: 'unsampled' }, { traceId });
    expect(result.status).toBe('success');
    await rx.waitFor((r) => r.spans().length === 1, 10_000);
    const [span] = rx.spans();
    expect(span!.traceId).not.toBe('65f1a2b3fedcba9876543210fedcba98');
    expect(span!.parentSpanId ?? '').toBe('');
  });
});
