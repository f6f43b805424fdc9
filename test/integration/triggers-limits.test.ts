// Caps and redaction end to end: hostile events through the real runtime client (Node 24)
// under the simulator, the library's withFlush + setupTelemetry with query and header capture
// on, spans decoded by the OTLP receiver. Nothing over the cap, no credential, reaches it.
// Requires `npm run build` (the fixture imports 'otel-lambda-flush' from dist/).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LambdaSimulator, OtlpReceiver, ReceivedSpan } from '../../src/testing/index.js';
import { invocationSpan, startPair } from './core-helpers.js';

const taskRoot = fileURLToPath(new URL('../fixtures/triggers/', import.meta.url));
const events = fileURLToPath(new URL('../fixtures/events/', import.meta.url));
const loadEvent = (name: string): any => JSON.parse(readFileSync(`${events}${name}.json`, 'utf8'));

/** The documented defaults (DEFAULT_MAX_VALUE_LENGTH, DEFAULT_MAX_NAME_LENGTH). */
const MAX_VALUE = 4096;
const MAX_NAME = 256;
const BIG = 256 * 1024;
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

/** Every string value of a span (attributes, event and link attributes, resource excluded) with its place. */
function stringsOf(span: ReceivedSpan): [string, string][] {
  const out: [string, string][] = [];
  const walk = (where: string, value: unknown): void => {
    if (typeof value === 'string') out.push([where, value]);
    else if (Array.isArray(value)) value.forEach((v, i) => walk(`${where}[${i}]`, v));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(`${where}.${k}`, v);
  };
  walk('attributes', span.attributes);
  span.events.forEach((e, i) => walk(`events[${i}]`, e.attributes));
  span.links.forEach((l, i) => walk(`links[${i}]`, l.attributes));
  return out;
}

function expectBounded(span: ReceivedSpan): void {
  expect(span.name.length, 'span name').toBeLessThanOrEqual(MAX_NAME);
  for (const [where, value] of stringsOf(span)) expect(value.length, where).toBeLessThanOrEqual(MAX_VALUE);
}

describe('caps and redaction through the simulator (captureQuery + captureRequestHeaders on)', () => {
  let rx: OtlpReceiver;
  let sim: LambdaSimulator;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ rx, sim, close } = await startPair('limits.handler', { taskRoot, env: { OTEL_SERVICE_NAME: 'triggers-limits' } }));
  });
  afterAll(() => close?.());

  async function spanOf(event: unknown): Promise<ReceivedSpan> {
    const r = await sim.invoke(event);
    expect(r.status, JSON.stringify(r.error)).toBe('success');
    await rx.waitFor(() => invocationSpan(rx.spans(), r.requestId) !== undefined, 15_000);
    return invocationSpan(rx.spans(), r.requestId)!;
  }

  it('API Gateway with a 256 KiB path, host, user agent, query, method and header: no value over the cap', async () => {
    const event = loadEvent('api-gateway-v2');
    event.rawPath = `/${'p'.repeat(BIG)}`;
    event.routeKey = `GET /${'r'.repeat(BIG)}`;
    event.rawQueryString = `q=${'q'.repeat(BIG)}&token=x`;
    event.headers.host = 'h'.repeat(BIG);
    event.headers['user-agent'] = 'u'.repeat(BIG);
    event.headers['x-tenant'] = 't'.repeat(BIG);
    event.requestContext.http.method = 'M'.repeat(BIG);
    const before = rx.requests().length;
    const span = await spanOf(event);
    expectBounded(span);
    expect(span.attributes['url.path']).toBe(`/${'p'.repeat(MAX_VALUE - 1)}`);
    expect(span.attributes['server.address']).toBe('h'.repeat(MAX_VALUE));
    expect(span.attributes['user_agent.original']).toBe('u'.repeat(MAX_VALUE));
    expect(span.attributes['url.query']).toBe(`q=${'q'.repeat(MAX_VALUE - 2)}`);
    expect(span.attributes['http.request.method']).toBe('_OTHER');
    expect(span.attributes['http.request.method_original']).toBe('M'.repeat(MAX_VALUE));
    expect(span.attributes['http.request.header.x-tenant']).toEqual(['t'.repeat(MAX_VALUE)]);
    expect(span.name).toBe(`HTTP /${'r'.repeat(MAX_NAME - 6)}`);
    // The whole export stays small (it was megabytes).
    const bytes = rx.requests().slice(before).reduce((n, r) => n + r.bytes, 0);
    expect(bytes).toBeLessThan(100_000);
  }, 60_000);

  it('S3 with a 1 MiB bucket name and a 256 KiB object key: span name and attributes capped', async () => {
    const event = loadEvent('s3');
    event.Records[0].s3.bucket.name = 'b'.repeat(4 * BIG);
    event.Records[0].s3.object.key = 'k'.repeat(BIG);
    const span = await spanOf(event);
    expectBounded(span);
    expect(span.name).toBe(`process ${'b'.repeat(MAX_NAME - 'process '.length)}`);
    expect(span.attributes['faas.document.collection']).toBe('b'.repeat(MAX_VALUE));
    expect(span.attributes['faas.document.name']).toBe('k'.repeat(MAX_VALUE));
  }, 60_000);

  it('SQS with a huge queue name and message ids: span name, destination and link attributes capped', async () => {
    const event = loadEvent('sqs');
    for (const record of event.Records) {
      record.eventSourceARN = `arn:aws:sqs:us-east-2:123456789012:${'q'.repeat(BIG)}`;
      record.messageId = 'i'.repeat(BIG);
    }
    const span = await spanOf(event);
    expectBounded(span);
    expect(span.links.length).toBeGreaterThan(0);
    expect(span.attributes['messaging.destination.name']).toBe('q'.repeat(MAX_VALUE));
  }, 60_000);

  it('a JWT in the path, the query and a header: REDACTED at the receiver', async () => {
    const event = loadEvent('api-gateway-v2');
    event.rawPath = `/v1/sessions/${JWT}/refresh`;
    event.rawQueryString = `next=${JWT}&pw=hunter2&private_key=abc&Key-Pair-Id=K2&Policy=p&keyword=shoes`;
    event.headers['x-access-token'] = 'opaque-access-token';
    event.headers['x-forwarded-identity'] = `Bearer ${JWT}`;
    const span = await spanOf(event);
    expect(span.attributes['url.path']).toBe('/v1/sessions/REDACTED/refresh');
    expect(span.attributes['url.query']).toBe('next=REDACTED&pw=REDACTED&private_key=REDACTED&Key-Pair-Id=REDACTED&Policy=REDACTED&keyword=shoes');
    expect(span.attributes['http.request.header.x-access-token']).toEqual(['REDACTED']);
    expect(span.attributes['http.request.header.x-forwarded-identity']).toEqual(['REDACTED']);
    const text = JSON.stringify(span);
    for (const secret of ['eyJ', 'hunter2', 'opaque-access-token']) expect(text, secret).not.toContain(secret);
  }, 60_000);
});
