// Failure injection against the real OTLP/HTTP trace exporter: what the exporter reports when
// the collector fails, is slow, resets connections or never answers, and that close() never hangs.
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OtlpReceiver } from '../../src/testing/index.js';

function recordSpans(name: string): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  provider.getTracer('behavior-test').startSpan(name).end();
  return exporter.getFinishedSpans();
}

async function exportOnce(url: string, spans: ReadableSpan[], timeoutMillis: number): Promise<{ result: ExportResult; elapsedMs: number }> {
  const exporter = new OTLPTraceExporter({ url: `${url}/v1/traces`, timeoutMillis });
  const started = performance.now();
  const result = await new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
  const elapsedMs = performance.now() - started;
  void exporter.shutdown();
  return { result, elapsedMs };
}

async function timed<T>(promise: Promise<T>): Promise<number> {
  const started = performance.now();
  await promise;
  return performance.now() - started;
}

describe('OtlpReceiver behaviours seen by the real exporter', () => {
  let rx: OtlpReceiver;
  beforeEach(async () => {
    rx = await OtlpReceiver.start();
  });
  afterEach(() => rx.close());

  it('failureRate 1 answers 503: the exporter retries, then reports FAILED; nothing is stored', async () => {
    rx.setBehavior({ failureRate: 1 });
    const { result } = await exportOnce(rx.url, recordSpans('lost'), 1500);
    expect(result.code).toBe(ExportResultCode.FAILED);
    const requests = rx.requests();
    expect(requests.length).toBeGreaterThanOrEqual(1); // first try, plus retries within the timeout
    expect(requests.every((r) => r.status === 503 && r.outcome === 'failed')).toBe(true);
    expect(rx.spans()).toEqual([]);

    rx.setBehavior({});
    const ok = await exportOnce(rx.url, recordSpans('delivered'), 1500);
    expect(ok.result.code).toBe(ExportResultCode.SUCCESS);
    expect(rx.spans().map((s) => s.name)).toEqual(['delivered']);
  });

  it('failureRate between 0 and 1 fails about that share of requests', async () => {
    rx.setBehavior({ failureRate: 0.5 });
    const body = JSON.stringify({ resourceSpans: [] });
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) {
      const res = await fetch(`${rx.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    const failed = statuses.filter((s) => s === 503).length;
    expect(failed).toBeGreaterThan(50); // expected 100; these bounds are ~7 standard deviations out
    expect(failed).toBeLessThan(150);
    expect(statuses.filter((s) => s !== 503).every((s) => s === 200)).toBe(true);
  });

  it('delayMs holds the answer back; an exporter with a shorter timeout gives up (FAILED)', async () => {
    rx.setBehavior({ delayMs: 300 });
    const slow = await exportOnce(rx.url, recordSpans('slow'), 5000);
    expect(slow.result.code).toBe(ExportResultCode.SUCCESS);
    expect(slow.elapsedMs).toBeGreaterThanOrEqual(290);
    expect(rx.spans().map((s) => s.name)).toEqual(['slow']);

    rx.setBehavior({ delayMs: 3000 });
    const impatient = await exportOnce(rx.url, recordSpans('too-slow'), 200);
    expect(impatient.result.code).toBe(ExportResultCode.FAILED);
    expect(impatient.elapsedMs).toBeLessThan(2900);
    // The delayed request is still pending; close() must not wait for it.
    expect(await timed(rx.close())).toBeLessThan(2000);
    expect(rx.spans().map((s) => s.name)).toEqual(['slow']);
  });

  it('resetConnections destroys the socket: the exporter reports FAILED', async () => {
    rx.setBehavior({ resetConnections: true });
    const { result } = await exportOnce(rx.url, recordSpans('reset'), 1500);
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(rx.requests().length).toBeGreaterThanOrEqual(1);
    expect(rx.requests().every((r) => r.outcome === 'reset' && r.status === undefined && r.bytes > 0)).toBe(true);
    expect(rx.spans()).toEqual([]);
  });

  it('blackHole reads the body and never answers: the exporter times out; close() does not hang', async () => {
    rx.setBehavior({ blackHole: true });
    const { result } = await exportOnce(rx.url, recordSpans('void'), 400);
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(rx.requests()).toMatchObject([{ outcome: 'black-hole', status: undefined, path: '/v1/traces' }]);
    expect(rx.spans()).toEqual([]);

    // Requests still held open when the receiver closes: a raw client sees its socket closed,
    // and the exporter (retrying against a closed port) gives up at its own deadline.
    const raw = new Promise<string>((resolve) => {
      const req = request(`${rx.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => resolve(`answered ${res.statusCode}`));
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      req.end('{"resourceSpans":[]}');
    });
    const exporter = new OTLPTraceExporter({ url: `${rx.url}/v1/traces`, timeoutMillis: 3000 });
    const pending = new Promise<ExportResult>((resolve) => exporter.export(recordSpans('held'), resolve));
    await rx.waitFor((r) => r.requests().length === 3);
    expect(await timed(rx.close())).toBeLessThan(2000);
    expect(await raw).toBe('ECONNRESET');
    const held = await Promise.race([pending, new Promise<'hang'>((resolve) => setTimeout(() => resolve('hang'), 10_000))]);
    expect(held).not.toBe('hang');
    expect((held as ExportResult).code).toBe(ExportResultCode.FAILED);
    void exporter.shutdown();
  });

  it('behaviour applies to later requests only, and setBehavior({}) restores service', async () => {
    rx.setBehavior({ blackHole: true });
    rx.setBehavior({});
    const { result } = await exportOnce(rx.url, recordSpans('fine'), 2000);
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(rx.requests().map((r) => r.outcome)).toEqual(['accepted']);
  });
});
