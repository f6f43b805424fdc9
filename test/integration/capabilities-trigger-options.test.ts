// README "Options" for triggers and propagation: maxLinks, captureQuery, captureRequestHeaders,
// propagators, extractor, recordContext, acceptUnsampledXRay; code wins over the environment.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LambdaSimulator, OtlpReceiver, ReceivedSpan } from '../../src/testing/index.js';
import { startCapability } from './capabilities-helpers.js';
import { invocationSpan } from './core-helpers.js';

const HEADER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const HEADER_SPAN = '00f067aa0ba902b7';

function loadEvent(name: string): any {
  return JSON.parse(readFileSync(new URL(`../fixtures/events/${name}.json`, import.meta.url), 'utf8'));
}

function sqsBatch(variant: string): unknown {
  const event = loadEvent('sqs');
  event.Records[2].messageAttributes = { traceparent: { stringValue: '00-11111111111111111111111111111111-2222222222222222-01', dataType: 'String' } };
  return { ...event, variant };
}

function httpEvent(variant: string, extra: Record<string, unknown> = {}): unknown {
  const event = loadEvent('api-gateway-v2');
  event.headers['x-tenant'] = 'acme';
  return { ...event, variant, ...extra };
}

describe('trigger and propagation options (env: OTEL_LAMBDA_MAX_LINKS=2, OTEL_LAMBDA_CAPTURE_QUERY=true, OTEL_PROPAGATORS=none)', () => {
  let rx: OtlpReceiver;
  let sim: LambdaSimulator;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ rx, sim, close } = await startCapability('trigger-options.handler', {
      env: { OTEL_LAMBDA_MAX_LINKS: '2', OTEL_LAMBDA_CAPTURE_QUERY: 'true', OTEL_PROPAGATORS: 'none' },
    }));
  });
  afterAll(() => close?.());

  async function spanOf(event: unknown, traceId?: string): Promise<{ span: ReceivedSpan | undefined; response: unknown }> {
    const r = await sim.invoke(event, traceId ? { traceId } : {});
    expect(r.status, JSON.stringify(r.error)).toBe('success');
    return { span: invocationSpan(rx.spans(), r.requestId), response: r.response };
  }

  it('from the environment: 2 links, redacted url.query, no parent from headers, no headers recorded', async () => {
    const { span: batch } = await spanOf(sqsBatch('env'));
    expect(batch!.links).toHaveLength(2);
    const { span } = await spanOf(httpEvent('env'));
    expect(span!.attributes['url.query']).toBe('dryRun=true&signature=REDACTED&X-Amz-Credential=REDACTED');
    expect(span!.traceId).not.toBe(HEADER_TRACE);
    expect(span!.parentSpanId ?? '').toBe('');
    expect(Object.keys(span!.attributes).filter((k) => k.startsWith('http.request.header.'))).toEqual([]);
  }, 30_000);

  it('in code, winning over the environment: 1 link, no url.query, W3C parent, chosen headers (credentials REDACTED)', async () => {
    const { span: batch } = await spanOf(sqsBatch('code'));
    expect(batch!.links.map((l) => l.traceId)).toEqual(['5759e988bd862e3fe1be46a994272793']);
    const { span } = await spanOf(httpEvent('code'));
    expect(span!.attributes).not.toHaveProperty('url.query');
    expect(span!.traceId).toBe(HEADER_TRACE);
    expect(span!.parentSpanId).toBe(HEADER_SPAN);
    const headers = Object.fromEntries(Object.entries(span!.attributes).filter(([k]) => k.startsWith('http.request.header.')));
    expect(headers).toEqual({ 'http.request.header.x-tenant': ['acme'], 'http.request.header.authorization': ['REDACTED'] });
  }, 30_000);

  it('extractor replaces header extraction; an extractor that throws gives no parent and the invoke still works', async () => {
    const parent = { traceId: 'abcdefabcdefabcdefabcdefabcdefab', spanId: '1234123412341234' };
    const { span } = await spanOf(httpEvent('extractor', { parent }));
    expect(span!.traceId).toBe(parent.traceId);
    expect(span!.parentSpanId).toBe(parent.spanId);
    const { span: orphan } = await spanOf(httpEvent('extractorThrows'));
    expect(orphan, 'span exported').toBeDefined();
    expect(orphan!.traceId).not.toBe(HEADER_TRACE);
    expect(orphan!.parentSpanId ?? '').toBe('');
  }, 30_000);

  it('recordContext: links to the contexts found inside Kinesis data', async () => {
    const event = loadEvent('kinesis');
    const upstream = [
      ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1', 'bbbbbbbbbbbbbbb1'],
      ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa2', 'bbbbbbbbbbbbbbb2'],
    ];
    event.Records.forEach((record: { kinesis: { data: string } }, i: number) => {
      record.kinesis.data = Buffer.from(JSON.stringify({ traceparent: `00-${upstream[i]![0]}-${upstream[i]![1]}-01` })).toString('base64');
    });
    const { span } = await spanOf({ ...event, variant: 'recordContext' });
    expect(span!.attributes['faas.trigger']).toBe('pubsub');
    expect(span!.links.map((l) => [l.traceId, l.spanId])).toEqual(upstream);
  }, 30_000);

  it('acceptUnsampledXRay: an unsampled X-Ray parent is used (and then not sampled); without it a new sampled trace', async () => {
    const xray = 'Root=1-65f1a2b3-0123456789abcdef01234567;Parent=1a2b3c4d5e6f7a8b;Sampled=0';
    const accepted = await spanOf({ variant: 'xrayAcceptUnsampled' }, xray);
    expect(accepted.response).toEqual({ traceId: '65f1a2b30123456789abcdef01234567', sampled: false });
    expect(accepted.span, 'a parent-based sampler drops it').toBeUndefined();
    const ignored = await spanOf({ variant: 'xrayDefault' }, xray);
    expect(ignored.response).toMatchObject({ sampled: true });
    expect(ignored.span!.traceId).not.toBe('65f1a2b30123456789abcdef01234567');
    expect(ignored.span!.parentSpanId ?? '').toBe('');
  }, 30_000);
});
