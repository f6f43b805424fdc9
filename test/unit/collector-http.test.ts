// HTTP surface of the receiver: routing, content negotiation, limits, bad input, lenient
// OTLP/JSON, and the query helpers (filters, snapshot, clear, waitFor).
import { gzipSync } from 'node:zlib';
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OtlpReceiver } from '../../src/testing/index.js';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';
const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

function jsonSpan(overrides: Record<string, unknown> = {}) {
  return {
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    name: 'op',
    kind: 2,
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000250000000',
    ...overrides,
  };
}
const traces = (spans: unknown[], resourceAttrs: unknown[] = []) => ({
  resourceSpans: [{ resource: { attributes: resourceAttrs }, scopeSpans: [{ scope: { name: 's' }, spans }] }],
});

async function post(url: string, body: string | Uint8Array, headers: Record<string, string> = { 'content-type': 'application/json' }, method = 'POST') {
  const res = await fetch(url, { method, headers, body: method === 'GET' ? undefined : body });
  return { status: res.status, type: res.headers.get('content-type'), headers: res.headers, text: await res.text() };
}

describe('OtlpReceiver over HTTP', () => {
  let rx: OtlpReceiver;
  beforeEach(async () => {
    rx = await OtlpReceiver.start();
  });
  afterEach(() => rx.close());

  it('listens on 127.0.0.1 and answers a JSON export with {}', async () => {
    expect(rx.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(rx.url).toBe(`http://127.0.0.1:${rx.port}`);
    const res = await post(`${rx.url}/v1/traces`, JSON.stringify(traces([jsonSpan()])));
    expect(res).toMatchObject({ status: 200, type: 'application/json', text: '{}' });
    expect(rx.spans()).toHaveLength(1);
    expect(rx.spans()[0]).toMatchObject({ kind: 'server', durationMs: 250, traceId: TRACE_ID });
  });

  it('rejects unknown paths (404), other methods (405) and unsupported media (415), storing nothing', async () => {
    expect((await post(`${rx.url}/v1/profiles`, '{}')).status).toBe(404);
    const get = await post(`${rx.url}/v1/traces`, '', {}, 'GET');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await post(`${rx.url}/v1/traces`, 'x', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post(`${rx.url}/v1/traces`, '{}', { 'content-type': 'application/json', 'content-encoding': 'br' })).status).toBe(415);
    expect(rx.requests().map((r) => [r.path, r.status, r.outcome])).toEqual([
      ['/v1/profiles', 404, 'rejected'],
      ['/v1/traces', 405, 'rejected'],
      ['/v1/traces', 415, 'rejected'],
      ['/v1/traces', 415, 'rejected'],
    ]);
    expect(rx.requests()[3]!.error).toMatch(/content encoding 'br'/);
    expect(rx.spans()).toEqual([]);
  });

  it('answers malformed bodies with 400 and a message, and keeps serving', async () => {
    const bad = [
      ['{not json', /cannot decode JSON traces request/],
      ['[1,2]', /not a JSON object/],
      [JSON.stringify({ resourceSpans: 5 }), /resourceSpans: expected array, got number/],
      [JSON.stringify(traces([jsonSpan({ traceId: 'abc' })])), /traceId: expected a 16-byte id/],
      [JSON.stringify(traces([jsonSpan({ attributes: [{ key: 1 }] })])), /attributes\[0\]\.key: expected string/],
      [JSON.stringify(traces([jsonSpan({ kind: 'SPAN_KIND_BOGUS' })])), /kind: expected one of/],
    ] as const;
    for (const [body, message] of bad) {
      const res = await post(`${rx.url}/v1/traces`, body);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toMatchObject({ code: 3, message: expect.stringMatching(message) });
    }
    const proto = await post(`${rx.url}/v1/metrics`, new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f]), { 'content-type': 'application/x-protobuf' });
    expect(proto.status).toBe(400);
    expect(proto.type).toBe('application/x-protobuf');
    const badGzip = await post(`${rx.url}/v1/logs`, 'not gzip', { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(badGzip.status).toBe(400);
    expect(JSON.parse(badGzip.text).message).toMatch(/invalid gzip body/);
    expect(rx.spans()).toEqual([]);
    expect((await post(`${rx.url}/v1/traces`, JSON.stringify(traces([jsonSpan()])))).status).toBe(200);
    expect(rx.requests().filter((r) => r.status === 400)).toHaveLength(bad.length + 2);
  });

  it('caps bodies: oversized raw and oversized after gunzip → 413', async () => {
    await rx.close();
    rx = await OtlpReceiver.start({ maxBodyBytes: 64 * 1024 });
    const big = JSON.stringify(traces([jsonSpan({ name: 'x'.repeat(100 * 1024) })]));
    const raw = await fetch(`${rx.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big }).then(
      (r) => r.status,
      (e: Error) => e.message, // the server may close before the whole body is written
    );
    expect([413, 'fetch failed']).toContain(raw);
    const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024, 0x20)); // ~10 KiB on the wire
    expect(bomb.length).toBeLessThan(64 * 1024);
    const res = await post(`${rx.url}/v1/traces`, bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect(rx.requests().map((r) => r.status)).toEqual([413, 413]);
    expect(rx.spans()).toEqual([]);
  });

  it('reads lenient OTLP/JSON: base64 ids, snake_case, numeric int64, enum names, every AnyValue kind', async () => {
    const span = {
      trace_id: b64(TRACE_ID),
      span_id: b64(SPAN_ID),
      parent_span_id: '',
      name: 'lenient',
      kind: 'SPAN_KIND_CLIENT',
      start_time_unix_nano: 1700000000000000000,
      endTimeUnixNano: '1700000000001500000',
      status: { code: 'STATUS_CODE_ERROR', message: '' },
      attributes: [
        { key: 's', value: { stringValue: 'v' } },
        { key: 'i', value: { intValue: '-42' } },
        { key: 'big', value: { intValue: '9223372036854775807' } },
        { key: 'd', value: { doubleValue: 1.5 } },
        { key: 'inf', value: { doubleValue: 'Infinity' } },
        { key: 'b', value: { boolValue: false } },
        { key: 'arr', value: { arrayValue: { values: [{ intValue: 1 }, { stringValue: 'x' }] } } },
        { key: 'kv', value: { kvlistValue: { values: [{ key: 'inner', value: { boolValue: true } }] } } },
        { key: 'bytes', value: { bytesValue: Buffer.from([1, 2, 3]).toString('base64') } },
        { key: 'empty', value: {} },
      ],
    };
    const res = await post(`${rx.url}/v1/traces`, JSON.stringify(traces([span], [{ key: 'service.name', value: { stringValue: 'svc' } }])));
    expect(res.status).toBe(200);
    const [got] = rx.spans();
    expect(got).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, kind: 'client', status: { code: 'error' }, durationMs: 1.5, resource: { 'service.name': 'svc' } });
    expect(got!.parentSpanId).toBeUndefined();
    expect(got!.status.message).toBeUndefined();
    expect(got!.startTimeUnixNano).toBe('1700000000000000000');
    expect(got!.attributes).toEqual({
      s: 'v',
      i: -42,
      big: '9223372036854775807',
      d: 1.5,
      inf: Infinity,
      b: false,
      arr: [1, 'x'],
      kv: { inner: true },
      bytes: new Uint8Array([1, 2, 3]),
      empty: undefined,
    });
  });

  it('reads metrics and logs sent as hand-written JSON', async () => {
    const metrics = {
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              scope: { name: 'm', version: '1' },
              metrics: [
                { name: 'c', sum: { aggregationTemporality: 'AGGREGATION_TEMPORALITY_DELTA', isMonotonic: true, dataPoints: [{ asInt: '7', timeUnixNano: '5' }] } },
                { name: 'g', gauge: { dataPoints: [{ asDouble: 0, timeUnixNano: '6', attributes: [{ key: 'k', value: { stringValue: 'v' } }] }] } },
                { name: 'q', summary: { dataPoints: [{ count: '3', sum: 6, quantileValues: [{ quantile: 0.5, value: 2 }], timeUnixNano: '7' }] } },
                { name: 'nodata' },
              ],
            },
          ],
        },
      ],
    };
    expect((await post(`${rx.url}/v1/metrics`, JSON.stringify(metrics))).status).toBe(200);
    expect(rx.metrics()).toEqual([
      { name: 'c', type: 'sum', temporality: 'delta', monotonic: true, value: 7, attributes: {}, timeUnixNano: '5', resource: {}, scope: { name: 'm', version: '1' } },
      { name: 'g', type: 'gauge', value: 0, attributes: { k: 'v' }, timeUnixNano: '6', resource: {}, scope: { name: 'm', version: '1' } },
      { name: 'q', type: 'summary', count: 3, sum: 6, quantileValues: [{ quantile: 0.5, value: 2 }], attributes: {}, timeUnixNano: '7', resource: {}, scope: { name: 'm', version: '1' } },
    ]);
    const logs = { resourceLogs: [{ scopeLogs: [{ logRecords: [{ severityNumber: 'SEVERITY_NUMBER_WARN', body: { stringValue: 'careful' }, traceId: '', spanId: '' }] }] }] };
    expect((await post(`${rx.url}/v1/logs`, JSON.stringify(logs))).status).toBe(200);
    expect(rx.logs()).toEqual([{ severityNumber: 13, body: 'careful', attributes: {}, resource: {}, scope: { name: '' } }]);
  });

  it('filters spans by name and attributes', async () => {
    const attr = (key: string, v: string) => ({ key, value: { stringValue: v } });
    const spans = [
      jsonSpan({ spanId: '0000000000000001', name: 'GET /a', attributes: [attr('route', '/a'), attr('m', 'GET')] }),
      jsonSpan({ spanId: '0000000000000002', name: 'GET /b', attributes: [attr('route', '/b'), attr('m', 'GET')] }),
      jsonSpan({ spanId: '0000000000000003', name: 'POST /a', attributes: [attr('route', '/a'), attr('m', 'POST')] }),
    ];
    await post(`${rx.url}/v1/traces`, JSON.stringify(traces(spans)));
    expect(rx.spans({ name: 'GET /a' }).map((s) => s.spanId)).toEqual(['0000000000000001']);
    expect(rx.spans({ name: /^GET / }).map((s) => s.spanId)).toEqual(['0000000000000001', '0000000000000002']);
    expect(rx.spans({ attributes: { route: '/a' } }).map((s) => s.spanId)).toEqual(['0000000000000001', '0000000000000003']);
    expect(rx.spans({ name: /a$/, attributes: { m: 'POST' } }).map((s) => s.spanId)).toEqual(['0000000000000003']);
    expect(rx.spans({ attributes: { missing: undefined } })).toEqual([]);
  });

  it('snapshot() is a deep copy; clear() forgets data and requests', async () => {
    await post(`${rx.url}/v1/traces`, JSON.stringify(traces([jsonSpan()])));
    const snap = rx.snapshot();
    expect(snap.at).toBeGreaterThan(0);
    expect(snap.spans).toHaveLength(1);
    snap.spans[0]!.name = 'mutated';
    snap.spans[0]!.attributes.x = 1;
    expect(rx.spans()[0]!.name).toBe('op');
    expect(rx.spans()[0]!.attributes).toEqual({});
    await post(`${rx.url}/v1/traces`, JSON.stringify(traces([jsonSpan()])));
    expect(snap.spans).toHaveLength(1);
    rx.clear();
    expect([rx.spans(), rx.metrics(), rx.logs(), rx.requests()]).toEqual([[], [], [], []]);
  });

  it('waitFor resolves when the condition becomes true and rejects clearly on timeout', async () => {
    const waiting = rx.waitFor((r) => r.spans({ name: 'late' }).length === 1, 5000);
    setTimeout(() => void post(`${rx.url}/v1/traces`, JSON.stringify(traces([jsonSpan({ name: 'late' })]))), 20);
    await expect(waiting).resolves.toBeUndefined();
    await expect(rx.waitFor((r) => r.spans().length > 5, 100)).rejects.toThrow(/condition not met within 100 ms \(received 1 spans, 0 metric points, 0 log records in 1 requests\)/);
    await expect(
      rx.waitFor(() => {
        throw new Error('bad predicate');
      }),
    ).rejects.toThrow('bad predicate');
    const pending = rx.waitFor(() => false, 10_000);
    await rx.close();
    await expect(pending).rejects.toThrow(/receiver closed/);
  });

  it('validates behaviour settings', () => {
    expect(() => rx.setBehavior({ failureRate: 2 })).toThrow(/failureRate must be between 0 and 1/);
    expect(() => rx.setBehavior({ delayMs: -1 })).toThrow(/delayMs/);
  });
});

describe('OtlpReceiver.start', () => {
  it('fails clearly when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(OtlpReceiver.start({ port })).rejects.toThrow(`OtlpReceiver: port ${port} on 127.0.0.1 is already in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('rejects invalid options', async () => {
    await expect(OtlpReceiver.start({ port: -1 })).rejects.toThrow(/invalid port/);
    await expect(OtlpReceiver.start({ maxBodyBytes: 0 })).rejects.toThrow(/invalid maxBodyBytes/);
  });

  it('close() is idempotent', async () => {
    const rx = await OtlpReceiver.start();
    await Promise.all([rx.close(), rx.close()]);
    await expect(fetch(`${rx.url}/v1/traces`, { method: 'POST', body: '{}' })).rejects.toThrow();
  });
});
