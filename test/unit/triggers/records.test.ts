import { SpanKind, SpanStatusCode, context, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { forEachRecord, recordSpan } from '../../../src/invocation/records.js';
import { loadEvent } from './load-event.js';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let tracer: Tracer;
let contextManager: AsyncLocalStorageContextManager;

beforeAll(() => {
  contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(provider);
  tracer = provider.getTracer('test');
});
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
});
beforeEach(() => exporter.reset());

/** Runs `fn` inside an "invocation" span, like the wrapper does. */
async function inInvocation<T>(fn: () => Promise<T>): Promise<{ result: T; invocationSpanId: string; traceId: string }> {
  const span = tracer.startSpan('invocation', { kind: SpanKind.CONSUMER });
  const result = await context.with(trace.setSpan(context.active(), span), fn);
  span.end();
  return { result, invocationSpanId: span.spanContext().spanId, traceId: span.spanContext().traceId };
}

describe('forEachRecord', () => {
  it('one CONSUMER child span per SQS record, linked to the record upstream context', async () => {
    const event = loadEvent('sqs');
    const seen: string[] = [];
    const { result: failures, invocationSpanId, traceId } = await inInvocation(() =>
      forEachRecord<{ messageId: string }>(event, (record) => {
        // The record span is the active span inside the callback.
        seen.push(trace.getActiveSpan()!.spanContext().spanId);
        return record.messageId;
      }),
    );
    expect(failures).toEqual([]);
    const spans = exporter.getFinishedSpans().filter((s) => s.name !== 'invocation');
    expect(spans).toHaveLength(3);
    expect(seen).toEqual(spans.map((s) => s.spanContext().spanId));
    for (const [i, span] of spans.entries()) {
      expect(span.name).toBe('process my-queue');
      expect(span.kind).toBe(SpanKind.CONSUMER);
      expect(span.parentSpanContext?.spanId).toBe(invocationSpanId);
      expect(span.spanContext().traceId).toBe(traceId);
      expect(span.attributes).toMatchObject({
        'messaging.system.name': 'aws.sqs',
        'messaging.operation.type': 'process',
        'messaging.destination.name': 'my-queue',
        'messaging.message.id': event.Records[i].messageId,
      });
      expect(span.attributes).not.toHaveProperty(['faas.trigger']);
    }
    expect(spans.map((s) => s.links.map((l) => l.context.spanId))).toEqual([['53995c3f42cd8ad8'], ['b7ad6b7169203331'], []]);
  });

  it('a failing record: ERROR span with the exception, the others still run, failures returned', async () => {
    const event = loadEvent('sqs');
    const boom = new Error('bad record');
    const { result: failures } = await inInvocation(() =>
      forEachRecord<{ messageId: string }>(event, async (record, _span, index) => {
        if (index === 1) throw boom;
        return record.messageId;
      }),
    );
    expect(failures).toEqual([{ index: 1, record: event.Records[1], error: boom }]);
    const spans = exporter.getFinishedSpans().filter((s) => s.name !== 'invocation');
    expect(spans.map((s) => s.status.code)).toEqual([SpanStatusCode.UNSET, SpanStatusCode.ERROR, SpanStatusCode.UNSET]);
    expect(spans[1]!.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('data-source records (S3, DynamoDB) get INTERNAL spans; options override name, kind, attributes', async () => {
    await inInvocation(async () => {
      await forEachRecord(loadEvent('dynamodb'), () => undefined);
      await forEachRecord(loadEvent('s3'), () => undefined, {
        name: (_r, i) => `object ${i}`,
        kind: SpanKind.CONSUMER,
        attributes: { 'app.step': 'thumbnail' },
      });
    });
    const spans = exporter.getFinishedSpans().filter((s) => s.name !== 'invocation');
    expect(spans.map((s) => [s.name, s.kind])).toEqual([
      ['process ExampleTableWithStream', SpanKind.INTERNAL],
      ['process ExampleTableWithStream', SpanKind.INTERNAL],
      ['object 0', SpanKind.CONSUMER],
    ]);
    expect(spans[0]!.attributes['faas.document.operation']).toBe('insert');
    expect(spans[1]!.attributes['faas.document.operation']).toBe('edit');
    expect(spans[2]!.attributes).toMatchObject({ 'app.step': 'thumbnail', 'faas.document.name': 'reports/2019 Q3/summary(final).pdf' });
  });

  it('accepts an array of records, and anything else as an empty batch', async () => {
    const records = loadEvent('kinesis').Records;
    let calls = 0;
    expect(await forEachRecord(records, () => { calls++; })).toEqual([]);
    expect(calls).toBe(2);
    expect(await forEachRecord(null, () => { calls++; })).toEqual([]);
    expect(await forEachRecord({ Records: 'nope' }, () => { calls++; })).toEqual([]);
    expect(calls).toBe(2);
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['process lambda-stream', 'process lambda-stream']);
  });
});

describe('recordSpan', () => {
  it('returns the callback value, rethrows the same error, links via recordContext for Kinesis', async () => {
    const record = loadEvent('kinesis').Records[0];
    const upstream = { traceId: 'abababababababababababababababab', spanId: 'cdcdcdcdcdcdcdcd', traceFlags: 1 };
    expect(await recordSpan(record, () => 7, { recordContext: () => upstream })).toBe(7);
    const err = new TypeError('nope');
    await expect(recordSpan(record, () => { throw err; })).rejects.toBe(err);
    const [ok, failed] = exporter.getFinishedSpans();
    expect(ok!.links.map((l) => l.context.traceId)).toEqual([upstream.traceId]);
    expect(ok!.attributes['messaging.message.id']).toBe(record.eventID);
    expect(failed!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'nope' });
  });

  it('an unrecognised record still gets a span named `process record`; a throwing name falls back', async () => {
    await recordSpan({ foo: 1 }, () => undefined);
    await recordSpan(loadEvent('sqs-single').Records[0], () => undefined, { name: () => { throw new Error('x'); } });
    expect(exporter.getFinishedSpans().map((s) => [s.name, s.kind])).toEqual([
      ['process record', SpanKind.INTERNAL],
      ['process orders.fifo', SpanKind.CONSUMER],
    ]);
  });
});
