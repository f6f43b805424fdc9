import { SpanKind } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { detectTrigger } from '../../../src/invocation/triggers/index.js';
import { loadEvent } from './load-event.js';

const hostile = new Proxy({}, {
  get() { throw new Error('getter throws'); },
  has() { throw new Error('has throws'); },
});

const malformed: [string, unknown][] = [
  ['undefined', undefined],
  ['null', null],
  ['a number', 42],
  ['a string', 'GET /'],
  ['an array', [{ eventSource: 'aws:sqs' }]],
  ['an empty object', {}],
  ['empty Records', { Records: [] }],
  ['Records not an array', { Records: { eventSource: 'aws:sqs' } }],
  ['Records of nulls', { Records: [null, null] }],
  ['unknown eventSource', { Records: [{ eventSource: 'aws:unknown' }] }],
  ['requestContext not an object', { httpMethod: 'GET', requestContext: 'x' }],
  ['a proxy whose getters throw', hostile],
  ['a Records array whose element getters throw', { Records: [hostile] }],
];

describe('detectTrigger on malformed events', () => {
  it.each(malformed)('%s → the direct-invoke default, no throw', (_label, event) => {
    const info = detectTrigger(event, { maxLinks: 32 });
    expect(info.source).toBe('direct');
    expect(info.trigger).toBe('other');
    expect(info.kind).toBe(SpanKind.SERVER);
    expect(info.links).toEqual([]);
  });

  it.each([
    ['SQS with wrong field types', { Records: [{ eventSource: 'aws:sqs', eventSourceARN: 7, messageId: {}, attributes: 'x', messageAttributes: [1] }] }, 'sqs', 'process'],
    ['SQS with missing fields', { Records: [{ eventSource: 'aws:sqs' }, null, 5] }, 'sqs', 'process'],
    ['SNS without Sns', { Records: [{ EventSource: 'aws:sns' }] }, 'sns', 'process'],
    ['S3 without s3', { Records: [{ eventSource: 'aws:s3', eventName: 5 }] }, 's3', 'process'],
    ['DynamoDB with a bad ARN', { Records: [{ eventSource: 'aws:dynamodb', eventSourceARN: 'nonsense', dynamodb: { ApproximateCreationDateTime: 'soon' } }] }, 'dynamodb', 'process'],
    ['Kinesis with a bad ARN', { Records: [{ eventSource: 'aws:kinesis', eventSourceARN: 'arn:aws:kinesis:x' }] }, 'kinesis', 'process'],
    ['HTTP v1 with no method value types', { httpMethod: 'GET', requestContext: {}, headers: null, multiValueHeaders: { a: 'not-an-array' } }, 'api-gateway-v1', 'GET'],
    ['HTTP v2 with odd headers', { requestContext: { http: { method: 'get' } }, headers: { Host: 5, 'user-agent': ['x'] }, routeKey: 9 }, 'api-gateway-v2', 'GET'],
    ['ALB with no headers', { requestContext: { elb: {} }, httpMethod: 'BREW' }, 'alb', 'HTTP'],
    ['EventBridge with odd fields', { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: null, time: 5 }, 'eventbridge-schedule', undefined],
  ])('%s → still its family, never throws', (_label, event, source, name) => {
    const info = detectTrigger(event, { maxLinks: 32 });
    expect(info.source).toBe(source);
    expect(info.name).toBe(name);
  });

  it('an unknown HTTP method becomes _OTHER with the original kept', () => {
    const info = detectTrigger({ requestContext: { elb: {} }, httpMethod: 'BREW' }, { maxLinks: 32 });
    expect(info.attributes['http.request.method']).toBe('_OTHER');
    expect(info.attributes['http.request.method_original']).toBe('BREW');
  });

  it('huge Records arrays: links capped by maxLinks (default and custom), fast', () => {
    const template = loadEvent('sqs').Records[0];
    const records = Array.from({ length: 10_000 }, (_, i) => ({ ...template, messageId: `m-${i}` }));
    const started = performance.now();
    const capped = detectTrigger({ Records: records }, { maxLinks: 32 });
    expect(capped.links).toHaveLength(32);
    expect(capped.attributes['messaging.batch.message_count']).toBe(10_000);
    expect(detectTrigger({ Records: records }, { maxLinks: 5 }).links).toHaveLength(5);
    expect(detectTrigger({ Records: records }, { maxLinks: 0 }).links).toHaveLength(0);
    // A nonsense maxLinks falls back to the default instead of throwing or linking everything.
    expect(detectTrigger({ Records: records }, { maxLinks: Number.NaN }).links).toHaveLength(32);
    expect(detectTrigger({ Records: records }, { maxLinks: -1 }).links).toHaveLength(32);
    expect(performance.now() - started).toBeLessThan(5_000); // a hang guard, not a benchmark
  });

  it('records beyond the scan bound are not scanned for links', () => {
    const template = loadEvent('sqs').Records[0];
    const bare = { ...template, attributes: {} };
    const records = [...Array.from({ length: 10_000 }, () => bare), template];
    expect(detectTrigger({ Records: records }, { maxLinks: 32 }).links).toHaveLength(0);
  });
});
