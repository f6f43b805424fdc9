// Length caps on everything trigger detection takes from an event, and their cost.
import type { Attributes } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_NAME_LENGTH,
  DEFAULT_MAX_VALUE_LENGTH,
  detectTrigger,
  type TriggerInfo,
} from '../../../src/invocation/triggers/index.js';
import { boundTrigger, truncate } from '../../../src/invocation/triggers/limits.js';
import { loadEvent } from './load-event.js';

const BIG = 256 * 1024;
const big = (c = 'a') => c.repeat(BIG);
/** No lone surrogate (what `String.prototype.isWellFormed` checks, ES2024). */
const wellFormed = (s: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

/** Every string in the info's attributes and links, with where it came from. */
function strings(info: TriggerInfo): [string, string][] {
  const out: [string, string][] = [];
  const add = (where: string, attrs: Attributes | undefined) => {
    for (const [k, v] of Object.entries(attrs ?? {})) {
      if (typeof v === 'string') out.push([`${where}${k}`, v]);
      else if (Array.isArray(v)) v.forEach((x, i) => typeof x === 'string' && out.push([`${where}${k}[${i}]`, x]));
    }
  };
  add('', info.attributes);
  info.links.forEach((l, i) => add(`link${i}.`, l.attributes));
  return out;
}

function expectBounded(info: TriggerInfo, max = DEFAULT_MAX_VALUE_LENGTH, nameMax = DEFAULT_MAX_NAME_LENGTH): void {
  for (const [where, value] of strings(info)) expect(value.length, where).toBeLessThanOrEqual(max);
  expect((info.name ?? '').length, 'span name').toBeLessThanOrEqual(nameMax);
  expect(JSON.stringify({ name: info.name, attributes: info.attributes, links: info.links.map((l) => l.attributes) }).length).toBeLessThan(100_000);
}

/** An HTTP v2 event with a 256 KiB path, host, user agent, method, query and header. */
function hugeHttpV2(): any {
  const event = loadEvent('api-gateway-v2');
  event.rawPath = `/${big('p')}`;
  event.routeKey = `GET /${big('r')}`;
  event.rawQueryString = `q=${big('q')}&token=x`;
  event.headers.host = big('h');
  event.headers['user-agent'] = big('u');
  event.headers['x-forwarded-port'] = big('1');
  event.headers['x-tenant'] = big('t');
  event.requestContext.http.method = big('M');
  event.requestContext.http.sourceIp = big('9');
  return event;
}

describe('truncate', () => {
  it('returns short values unchanged', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('', 1)).toBe('');
  });

  it('cuts to max UTF-16 code units, never through a surrogate pair', () => {
    expect(truncate('abcdef', 4)).toBe('abcd');
    expect(truncate('abc😀def', 4)).toBe('abc'); // 😀 is 2 units at 3..4: cut before it
    expect(truncate('abc😀def', 5)).toBe('abc😀');
    expect(truncate('😀😀😀', 3)).toBe('😀');
    expect(wellFormed('a\uD83D'), 'the check itself can fail').toBe(false);
    for (let max = 1; max < 12; max++) {
      const cut = truncate('x😀y😀😀z', max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(wellFormed(cut), `max ${max}`).toBe(true);
    }
  });
});

describe('every value derived from an event is capped', () => {
  it('HTTP (API Gateway v2) with 256 KiB path, route, host, user agent, method, query and headers', () => {
    const info = detectTrigger(hugeHttpV2(), { maxLinks: 32, captureQuery: true, captureRequestHeaders: ['x-tenant', 'user-agent'] });
    expectBounded(info);
    expect(info.attributes['url.path']).toBe(`/${'p'.repeat(DEFAULT_MAX_VALUE_LENGTH - 1)}`);
    expect((info.attributes['url.query'] as string).length).toBe(DEFAULT_MAX_VALUE_LENGTH);
    expect(info.attributes['http.request.method']).toBe('_OTHER');
    expect((info.attributes['http.request.method_original'] as string).length).toBe(DEFAULT_MAX_VALUE_LENGTH);
    expect(info.attributes).not.toHaveProperty(['server.port']);
    expect(info.name).toBe(`HTTP /${'r'.repeat(DEFAULT_MAX_NAME_LENGTH - 6)}`);
  });

  it.each(['api-gateway-v1', 'alb', 'alb-multi-value'])('HTTP (%s) with huge values, query parameters and multi-value headers', (fixture) => {
    const event = loadEvent(fixture);
    event.path = `/${big()}`;
    event.httpMethod = big('X');
    event.resource = `/${big('r')}`;
    event.headers = { ...event.headers, host: big('h'), 'user-agent': big('u'), 'x-forwarded-for': `${big('1')},2.2.2.2`, 'x-custom': big('c') };
    event.multiValueHeaders = { ...event.multiValueHeaders, 'x-custom': Array.from({ length: 1000 }, () => 'm'.repeat(8192)) };
    event.queryStringParameters = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, 'v'.repeat(100)]));
    event.multiValueQueryStringParameters = { q: [big('q'), 'b'], secret: [big('s')] };
    const info = detectTrigger(event, { maxLinks: 32, captureQuery: true, captureRequestHeaders: ['x-custom'] });
    expectBounded(info);
    const custom = info.attributes['http.request.header.x-custom'] as string[];
    expect(custom.length).toBeGreaterThan(0);
    expect(custom.length).toBeLessThanOrEqual(16);
  });

  it('S3 with a 1 MB bucket name and object key: span name and attributes capped', () => {
    const event = loadEvent('s3');
    event.Records[0].s3.bucket.name = big('b').repeat(4);
    event.Records[0].s3.object.key = big('%41').slice(0, BIG);
    event.Records[0].eventTime = big('t');
    const info = detectTrigger(event, { maxLinks: 32 });
    expectBounded(info);
    expect(info.name).toBe(`process ${'b'.repeat(DEFAULT_MAX_NAME_LENGTH - 8)}`);
    expect(info.attributes['faas.document.collection']).toBe('b'.repeat(DEFAULT_MAX_VALUE_LENGTH));
  });

  it.each([
    ['sqs', (e: any) => { for (const r of e.Records) { r.eventSourceARN = `arn:aws:sqs:us-east-2:1:${big('q')}`; r.messageId = big('i'); } }],
    ['sqs-single', (e: any) => { e.Records[0].eventSourceARN = `arn:aws:sqs:us-east-2:1:${big('q')}`; e.Records[0].messageId = big('i'); }],
    ['sns', (e: any) => { e.Records[0].Sns.TopicArn = `arn:aws:sns:us-east-2:1:${big('t')}`; e.Records[0].Sns.MessageId = big('i'); }],
    ['dynamodb', (e: any) => { for (const r of e.Records) r.eventSourceARN = `arn:aws:dynamodb:us-east-2:1:table/${big('d')}/stream/x`; }],
    ['kinesis', (e: any) => { for (const r of e.Records) { r.eventSourceARN = `arn:aws:kinesis:us-east-2:1:stream/${big('k')}`; r.eventID = big('i'); } }],
    ['eventbridge', (e: any) => { e.source = big('s'); e.id = big('i'); }],
    ['eventbridge-scheduled', (e: any) => { e.time = big('t'); }],
  ])('%s with huge names and ids', (fixture, mutate) => {
    const event = loadEvent(fixture);
    mutate(event);
    expectBounded(detectTrigger(event, { maxLinks: 32 }));
  });

  it('a smaller maxValueLength caps values, and span names at min(256, maxValueLength)', () => {
    const info = detectTrigger(hugeHttpV2(), { maxLinks: 32, maxValueLength: 100, captureQuery: true });
    expectBounded(info, 100, 100);
    expect((info.attributes['url.path'] as string).length).toBe(100);
    expect(info.name!.length).toBe(100);
    const defaults = detectTrigger(hugeHttpV2(), { maxLinks: 32, maxValueLength: Number.NaN });
    expect((defaults.attributes['url.path'] as string).length).toBe(DEFAULT_MAX_VALUE_LENGTH);
  });

  it('a value cut in the middle of an emoji stays well-formed', () => {
    const event = loadEvent('api-gateway-v2');
    event.headers['user-agent'] = '😀'.repeat(5000);
    const ua = detectTrigger(event, { maxLinks: 32 }).attributes['user_agent.original'] as string;
    expect(ua.length).toBe(DEFAULT_MAX_VALUE_LENGTH);
    expect(wellFormed(ua)).toBe(true);
    const odd = detectTrigger(event, { maxLinks: 32, maxValueLength: 4095 }).attributes['user_agent.original'] as string;
    expect(odd.length).toBe(4094);
    expect(wellFormed(odd)).toBe(true);
  });

  it('boundTrigger leaves short values (and arrays) as they are: same objects', () => {
    const values = ['a', 'b'];
    const info: TriggerInfo = { source: 'x', trigger: 'other', kind: 0, name: 'n', attributes: { a: 's', b: values, c: 1 }, links: [] };
    boundTrigger(info, 10);
    expect(info.attributes.b).toBe(values);
    expect(info.attributes).toEqual({ a: 's', b: ['a', 'b'], c: 1 });
    const long = ['a', 'x'.repeat(20)];
    boundTrigger({ ...info, attributes: { long } }, 10);
    expect(long[1]).toHaveLength(20); // the caller's array is copied, not changed
  });
});

describe('per-invoke cost (generous bounds: they catch a blow-up, timings are in bench/)', () => {
  it('an ordinary HTTP event with capture on: 5,000 detections well under 5 s', () => {
    const event = loadEvent('api-gateway-v2');
    const options = { maxLinks: 32, captureQuery: true, captureRequestHeaders: ['x-tenant', 'authorization', 'accept'] };
    const start = performance.now();
    for (let i = 0; i < 5_000; i++) detectTrigger(event, options);
    expect(performance.now() - start).toBeLessThan(5000);
  });

  it('a hostile HTTP event (256 KiB in every field): each detection well under 50 ms', () => {
    const event = hugeHttpV2();
    const options = { maxLinks: 32, captureQuery: true, captureRequestHeaders: ['x-tenant'] };
    detectTrigger(event, options);
    const start = performance.now();
    for (let i = 0; i < 20; i++) detectTrigger(event, options);
    expect((performance.now() - start) / 20).toBeLessThan(50);
  });
});
