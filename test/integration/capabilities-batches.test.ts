// README "Batches" (forEachRecord / recordSpan) and faas.coldstart under provisioned concurrency.
import { describe, expect, it } from 'vitest';
import { startCapability } from './capabilities-helpers.js';
import { invocationSpan } from './core-helpers.js';

const UPSTREAM = [
  ['4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7'],
  ['0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331'],
  ['d4cda95b652f4a1592b449d5929fda1b', '6e0c63257de34c92'],
] as const;

function sqsRecord(i: number, body: string): Record<string, unknown> {
  const [traceId, spanId] = UPSTREAM[i]!;
  return {
    messageId: `msg-${i}`,
    receiptHandle: `handle-${i}`,
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1545082649183' },
    messageAttributes: { traceparent: { stringValue: `00-${traceId}-${spanId}-01`, dataType: 'String' } },
    md5OfBody: '0',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:orders-queue',
    awsRegion: 'us-east-1',
  };
}

describe('forEachRecord on an SQS batch', () => {
  it('3 child spans, each linked to its record\'s upstream context; the failing record is reported', async () => {
    const { rx, sim, close } = await startCapability('records.handler');
    try {
      const event = { Records: [sqsRecord(0, 'ok'), sqsRecord(1, 'fail'), sqsRecord(2, 'ok')] };
      const r = await sim.invoke(event);
      expect(r.status).toBe('success');
      expect(r.response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-1' }] });

      const parent = invocationSpan(rx.spans(), r.requestId);
      expect(parent, 'invocation span').toBeDefined();
      const children = rx.spans().filter((s) => s.parentSpanId === parent!.spanId);
      expect(children).toHaveLength(3);
      // Export order is end order, which is record order (forEachRecord runs them one by one).
      children.sort((a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1));
      for (const [i, child] of children.entries()) {
        expect(child.traceId).toBe(parent!.traceId);
        expect(child.name).toBe('process orders-queue');
        expect(child.kind).toBe('consumer');
        expect(child.attributes).toMatchObject({
          'messaging.system.name': 'aws.sqs',
          'messaging.destination.name': 'orders-queue',
          'messaging.message.id': `msg-${i}`,
          'test.record.body': i === 1 ? 'fail' : 'ok',
        });
        expect(child.attributes).not.toHaveProperty('faas.trigger');
        expect(child.links.map((l) => [l.traceId, l.spanId])).toEqual([[...UPSTREAM[i]!]]);
        expect(child.status.code).toBe(i === 1 ? 'error' : 'unset');
      }
      expect(children[1]!.events.map((e) => e.attributes['exception.message'])).toEqual(['cannot process msg-1']);
      // The invocation span itself succeeded: a partial batch failure is not a function error.
      expect(parent!.status.code).toBe('unset');
    } finally {
      await close();
    }
  }, 30_000);
});

describe('faas.coldstart and the initialization type', () => {
  it('provisioned-concurrency: false on the first invoke too', async () => {
    const { rx, sim, close } = await startCapability('plain.handler', { initializationType: 'provisioned-concurrency' });
    try {
      const first = await sim.invoke({ n: 0 });
      const second = await sim.invoke({ n: 1 });
      expect(first.coldStart).toBe(true); // the simulator's view: first invoke of the process
      const spans = rx.spans();
      expect(invocationSpan(spans, first.requestId)!.attributes['faas.coldstart']).toBe(false);
      expect(invocationSpan(spans, second.requestId)!.attributes['faas.coldstart']).toBe(false);
    } finally {
      await close();
    }
  }, 30_000);

  it('on-demand (the control): true on the first invoke only', async () => {
    const { rx, sim, close } = await startCapability('plain.handler', { initializationType: 'on-demand' });
    try {
      const first = await sim.invoke({ n: 0 });
      const second = await sim.invoke({ n: 1 });
      const spans = rx.spans();
      expect(invocationSpan(spans, first.requestId)!.attributes['faas.coldstart']).toBe(true);
      expect(invocationSpan(spans, second.requestId)!.attributes['faas.coldstart']).toBe(false);
    } finally {
      await close();
    }
  }, 30_000);
});
