import { SpanKind, type Attributes } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { detectTrigger } from '../../../src/invocation/triggers/index.js';
import { loadEvent } from './load-event.js';

interface Case {
  fixture: string;
  source: string;
  trigger: string;
  kind: SpanKind;
  name: string | undefined;
  attributes: Attributes;
  /** Attributes that must NOT be present. */
  absent?: string[];
  links?: number;
}

const cases: Case[] = [
  {
    fixture: 'api-gateway-v1',
    source: 'api-gateway-v1',
    trigger: 'http',
    kind: SpanKind.SERVER,
    name: 'GET /pets/{petId}',
    attributes: {
      'faas.trigger': 'http',
      'http.request.method': 'GET',
      'http.route': '/pets/{petId}',
      'url.path': '/pets/10',
      'url.scheme': 'https',
      'server.address': 'abcdef1234.execute-api.us-east-1.amazonaws.com',
      'server.port': 443,
      'client.address': '198.51.100.7',
      'user_agent.original': 'curl/8.5.0',
      'network.protocol.version': '1.1',
    },
    absent: ['url.query', 'http.request.header.authorization'],
  },
  {
    fixture: 'api-gateway-v2',
    source: 'api-gateway-v2',
    trigger: 'http',
    kind: SpanKind.SERVER,
    name: 'POST /orders/{orderId}',
    attributes: {
      'faas.trigger': 'http',
      'http.request.method': 'POST',
      'http.route': '/orders/{orderId}',
      'url.path': '/orders/42',
      'url.scheme': 'https',
      'server.address': 'r3pmxmplak.execute-api.us-east-2.amazonaws.com',
      'client.address': '203.0.113.9',
      'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64)',
    },
    absent: ['url.query'],
  },
  {
    fixture: 'function-url',
    source: 'function-url',
    trigger: 'http',
    kind: SpanKind.SERVER,
    name: 'PUT',
    attributes: {
      'http.request.method': 'PUT',
      'url.path': '/my/path',
      'server.address': 'abcdefghijklmnopqrstuvwxyz0123456.lambda-url.us-west-2.on.aws',
      'client.address': '192.0.2.44',
    },
    absent: ['http.route', 'url.query'],
  },
  {
    fixture: 'alb',
    source: 'alb',
    trigger: 'http',
    kind: SpanKind.SERVER,
    name: 'DELETE',
    attributes: {
      'http.request.method': 'DELETE',
      'url.path': '/lambda',
      'url.scheme': 'http',
      'server.port': 80,
      'server.address': 'lambda-alb-123578498.us-east-1.elb.amazonaws.com',
      'client.address': '72.12.164.125',
    },
    absent: ['http.route', 'url.query'],
  },
  {
    fixture: 'alb-multi-value',
    source: 'alb',
    trigger: 'http',
    kind: SpanKind.SERVER,
    name: 'GET',
    attributes: { 'url.scheme': 'https', 'client.address': '72.12.164.125', 'server.port': 443 },
  },
  {
    fixture: 'sqs',
    source: 'sqs',
    trigger: 'pubsub',
    kind: SpanKind.CONSUMER,
    name: 'process my-queue',
    attributes: {
      'faas.trigger': 'pubsub',
      'messaging.system.name': 'aws.sqs',
      'messaging.operation.type': 'process',
      'messaging.operation.name': 'process',
      'messaging.destination.name': 'my-queue',
      'messaging.batch.message_count': 3,
    },
    absent: ['messaging.message.id', 'messaging.system'],
    links: 2,
  },
  {
    fixture: 'sqs-single',
    source: 'sqs',
    trigger: 'pubsub',
    kind: SpanKind.CONSUMER,
    name: 'process orders.fifo',
    attributes: {
      'messaging.destination.name': 'orders.fifo',
      'messaging.message.id': '19dd0b57-b21e-4ac1-bd88-01bbb068cb78',
    },
    absent: ['messaging.batch.message_count'],
    links: 0,
  },
  {
    fixture: 'sns',
    source: 'sns',
    trigger: 'pubsub',
    kind: SpanKind.CONSUMER,
    name: 'process sns-lambda',
    attributes: {
      'messaging.system.name': 'aws.sns',
      'messaging.operation.type': 'process',
      'messaging.destination.name': 'sns-lambda',
      'messaging.message.id': '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
      'aws.sns.topic.arn': 'arn:aws:sns:us-east-1:123456789012:sns-lambda',
    },
    links: 1,
  },
  {
    fixture: 's3',
    source: 's3',
    trigger: 'datasource',
    kind: SpanKind.SERVER,
    name: 'process DOC-EXAMPLE-BUCKET',
    attributes: {
      'faas.trigger': 'datasource',
      'faas.document.collection': 'DOC-EXAMPLE-BUCKET',
      'faas.document.name': 'reports/2019 Q3/summary(final).pdf',
      'faas.document.operation': 'insert',
      'faas.document.time': '2019-09-03T19:37:27.192Z',
    },
    absent: ['messaging.system.name', 'messaging.operation.type'],
  },
  {
    fixture: 'dynamodb',
    source: 'dynamodb',
    trigger: 'datasource',
    kind: SpanKind.SERVER,
    name: 'process ExampleTableWithStream',
    attributes: {
      'faas.trigger': 'datasource',
      'faas.document.collection': 'ExampleTableWithStream',
      'aws.dynamodb.table_names': ['ExampleTableWithStream'],
      'messaging.operation.type': 'process',
      'messaging.destination.name': 'ExampleTableWithStream',
      'messaging.batch.message_count': 2,
    },
    // INSERT + MODIFY: no single operation; two records: no single document time.
    absent: ['faas.document.operation', 'faas.document.time', 'faas.document.name'],
    links: 0,
  },
  {
    fixture: 'kinesis',
    source: 'kinesis',
    trigger: 'pubsub',
    kind: SpanKind.CONSUMER,
    name: 'process lambda-stream',
    attributes: {
      'messaging.system.name': 'aws.kinesis',
      'messaging.destination.name': 'lambda-stream',
      'aws.kinesis.stream_name': 'lambda-stream',
      'messaging.batch.message_count': 2,
    },
    links: 0,
  },
  {
    fixture: 'eventbridge',
    source: 'eventbridge',
    trigger: 'pubsub',
    kind: SpanKind.CONSUMER,
    name: 'process com.example.orders',
    attributes: {
      'faas.trigger': 'pubsub',
      'messaging.system.name': 'aws.eventbridge',
      'messaging.operation.type': 'process',
      'messaging.message.id': '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    },
  },
  {
    fixture: 'eventbridge-scheduled',
    source: 'eventbridge-schedule',
    trigger: 'timer',
    kind: SpanKind.SERVER,
    name: undefined,
    attributes: { 'faas.trigger': 'timer', 'faas.time': '2019-03-01T01:23:45Z' },
    absent: ['faas.cron', 'messaging.system.name'],
  },
  {
    fixture: 'scheduler',
    source: 'eventbridge-schedule',
    trigger: 'timer',
    kind: SpanKind.SERVER,
    name: undefined,
    attributes: { 'faas.trigger': 'timer', 'faas.time': '2024-06-01T00:00:00Z' },
  },
  {
    fixture: 'direct',
    source: 'direct',
    trigger: 'other',
    kind: SpanKind.SERVER,
    name: undefined,
    attributes: { 'faas.trigger': 'other' },
  },
];

describe('detectTrigger over AWS-shaped sample events', () => {
  it.each(cases)('$fixture → $source / $trigger / "$name"', (c) => {
    const info = detectTrigger(loadEvent(c.fixture), { maxLinks: 32 });
    expect(info.source).toBe(c.source);
    expect(info.trigger).toBe(c.trigger);
    expect(info.kind).toBe(c.kind);
    expect(info.name).toBe(c.name);
    expect(info.attributes).toMatchObject(c.attributes);
    for (const key of c.absent ?? []) expect(info.attributes).not.toHaveProperty([key]);
    if (c.links !== undefined) expect(info.links).toHaveLength(c.links);
    expect(info.attributes['faas.trigger']).toBe(c.trigger);
  });

  it('never records payloads, credentials or the query string by default', () => {
    for (const c of cases) {
      const info = detectTrigger(loadEvent(c.fixture), { maxLinks: 32 });
      const text = JSON.stringify(info.attributes);
      for (const secret of ['secret', 'session=abc123', 'my-api-key', 'Bearer', '4111111111111111', 'New item!', 'Hello from', 'SGVsbG8']) {
        expect(text, `${c.fixture} leaks ${secret}`).not.toContain(secret);
      }
      expect(Object.keys(info.attributes).some((k) => k.startsWith('http.request.header.'))).toBe(false);
    }
  });

  it('keeps HTTP headers, lower-cased, as the extraction carrier only', () => {
    const info = detectTrigger(loadEvent('api-gateway-v1'), { maxLinks: 32 });
    expect(info.carrier?.traceparent).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(info.carrier?.['x-amzn-trace-id']).toContain('Root=1-5759e988');
    expect(info.carrier?.host).toBe('abcdef1234.execute-api.us-east-1.amazonaws.com');
  });

  it('SQS links: W3C message attributes first, else AWSTraceHeader; records without context get none', () => {
    const info = detectTrigger(loadEvent('sqs'), { maxLinks: 32 });
    expect(info.links.map((l) => [l.context.traceId, l.context.spanId, l.context.isRemote])).toEqual([
      ['5759e988bd862e3fe1be46a994272793', '53995c3f42cd8ad8', true],
      ['0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331', true],
    ]);
    expect(info.links[1]!.context.traceState?.get('congo')).toBe('t61rcWkgMzE');
    expect(info.links[0]!.attributes).toEqual({ 'messaging.message.id': '059f36b4-87a3-44ab-83d2-661975830a7d' });
  });

  it('SNS links to the W3C context in MessageAttributes', () => {
    const [link] = detectTrigger(loadEvent('sns'), { maxLinks: 32 }).links;
    expect(link?.context.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(link?.context.spanId).toBe('00f067aa0ba902b7');
  });

  it('a batch from several queues is named `process` without a destination', () => {
    const event = loadEvent('sqs');
    event.Records[2].eventSourceARN = 'arn:aws:sqs:us-east-2:123456789012:other-queue';
    const info = detectTrigger(event, { maxLinks: 32 });
    expect(info.name).toBe('process');
    expect(info.attributes).not.toHaveProperty(['messaging.destination.name']);
  });

  it('DynamoDB single record: operation and document time', () => {
    const event = loadEvent('dynamodb');
    event.Records = [event.Records[1]];
    const info = detectTrigger(event, { maxLinks: 32 });
    expect(info.attributes).toMatchObject({
      'faas.document.operation': 'edit',
      'faas.document.time': '2015-04-09T00:00:00.000Z',
      'messaging.message.id': 'c81e728d9d4c2f636f067f89cc14862c',
    });
  });

  it.each([
    ['ObjectRemoved:Delete', 'delete'],
    ['LifecycleExpiration:Delete', 'delete'],
    ['ObjectRestore:Completed', 'edit'],
    ['ObjectCreated:CompleteMultipartUpload', 'insert'],
  ])('S3 %s → faas.document.operation %s', (eventName, operation) => {
    const event = loadEvent('s3');
    event.Records[0].eventName = eventName;
    expect(detectTrigger(event, { maxLinks: 32 }).attributes['faas.document.operation']).toBe(operation);
  });

  it('uses the user recordContext for records without a built-in context (e.g. Kinesis)', () => {
    const info = detectTrigger(loadEvent('kinesis'), {
      maxLinks: 32,
      recordContext: (record: any, source) =>
        source === 'kinesis' && record.kinesis.partitionKey === '1'
          ? { traceId: 'abababababababababababababababab', spanId: 'cdcdcdcdcdcdcdcd', traceFlags: 1 }
          : undefined,
    });
    expect(info.links).toHaveLength(2);
    expect(info.links[0]!.context).toMatchObject({ traceId: 'abababababababababababababababab', isRemote: true });
  });

  it('ignores a throwing or invalid user recordContext', () => {
    const throwing = detectTrigger(loadEvent('kinesis'), { maxLinks: 32, recordContext: () => { throw new Error('boom'); } });
    expect(throwing.links).toEqual([]);
    const invalid = detectTrigger(loadEvent('kinesis'), { maxLinks: 32, recordContext: () => ({ traceId: 'nope', spanId: 'x', traceFlags: 1 }) });
    expect(invalid.links).toEqual([]);
    expect(throwing.source).toBe('kinesis');
  });
});
