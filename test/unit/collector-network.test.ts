// Network realism of the receiver against the real OTLP/HTTP exporter and raw keep-alive clients:
// 429 with Retry-After, a share of connections reset, idle connections forgotten (reset on reuse),
// requests whose client gave up not counted, and a collector that is down and comes back.
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OtlpReceiver } from '../../src/testing/index.js';
import { drawFault, validateBehavior } from '../../src/testing/collector/network.js';

function recordSpans(name: string): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  provider.getTracer('network-test').startSpan(name).end();
  return exporter.getFinishedSpans();
}

function exportWith(exporter: OTLPTraceExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
}

/** One POST through `agent`; resolves the status and headers, or the error code. */
function post(url: string, agent: Agent | false): Promise<{ status?: number; retryAfter?: string; error?: string }> {
  return new Promise((resolve) => {
    const req = request(`${url}/v1/traces`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'] }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end('{"resourceSpans":[]}');
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('fault draw', () => {
  it('gives each rate its share from one draw, and refuses rates adding up past 1', () => {
    const b = validateBehavior({ resetRate: 0.1, failureRate: 0.2, throttleRate: 0.3 });
    expect([0, 0.05, 0.11, 0.29, 0.31, 0.59, 0.61, 0.99].map((r) => drawFault(b, r))).toEqual([
      'reset', 'reset', 'unavailable', 'unavailable', 'throttled', 'throttled', undefined, undefined,
    ]);
    expect(drawFault({ resetConnections: true }, 0.99)).toBe('reset');
    expect(() => validateBehavior({ failureRate: 0.6, throttleRate: 0.6 })).toThrow(/at most 1/);
    expect(() => validateBehavior({ throttleRate: 2 })).toThrow(TypeError);
    expect(() => validateBehavior({ retryAfterSeconds: 1.5 })).toThrow(/integer/);
    expect(() => validateBehavior({ forgetIdleConnectionsMs: -1 })).toThrow(TypeError);
  });
});

describe('OtlpReceiver network realism', () => {
  let rx: OtlpReceiver;
  const agents: Agent[] = [];
  beforeEach(async () => {
    rx = await OtlpReceiver.start();
  });
  afterEach(async () => {
    for (const a of agents.splice(0)) a.destroy();
    await rx.close();
  });

  it('throttleRate answers 429 with Retry-After; the exporter waits for it and gives up at its timeout', async () => {
    rx.setBehavior({ throttleRate: 1, retryAfterSeconds: 2 });
    expect(await post(rx.url, false)).toEqual({ status: 429, retryAfter: '2' });
    const exporter = new OTLPTraceExporter({ url: `${rx.url}/v1/traces`, timeoutMillis: 1000 });
    const result = await exportWith(exporter, recordSpans('throttled'));
    void exporter.shutdown();
    expect(result.code).toBe(ExportResultCode.FAILED);
    // Retry-After 2 s exceeds the 1 s timeout: no second attempt.
    expect(rx.requests().map((r) => [r.outcome, r.status])).toEqual([['throttled', 429], ['throttled', 429]]);
    expect(rx.spans()).toEqual([]);
  });

  it('throttleRate and resetRate hit about their share of requests', async () => {
    rx.setBehavior({ throttleRate: 0.25, resetRate: 0.25 });
    const results = [];
    for (let i = 0; i < 200; i++) results.push(await post(rx.url, false));
    const throttled = results.filter((r) => r.status === 429).length;
    const reset = results.filter((r) => r.error === 'ECONNRESET').length;
    // Expected 50 each; the bounds are ~5 standard deviations out.
    expect(throttled).toBeGreaterThan(20);
    expect(throttled).toBeLessThan(80);
    expect(reset).toBeGreaterThan(20);
    expect(reset).toBeLessThan(80);
    expect(results.length - throttled - reset).toBe(results.filter((r) => r.status === 200).length);
    expect(rx.requests().filter((r) => r.outcome === 'reset')).toHaveLength(reset);
  });

  it('forgets an idle keep-alive connection without a FIN: its next request is reset', async () => {
    rx.setBehavior({ forgetIdleConnectionsMs: 100 });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    expect((await post(rx.url, agent)).status).toBe(200);
    expect((await post(rx.url, agent)).status).toBe(200); // reused at once: still remembered
    await sleep(250);
    expect(await post(rx.url, agent)).toEqual({ error: 'ECONNRESET' }); // the pooled socket was never closed
    expect((await post(rx.url, agent)).status).toBe(200); // a fresh connection works
    expect(rx.requests().map((r) => r.outcome)).toEqual(['accepted', 'accepted', 'forgotten', 'accepted']);
  });

  it('the real exporter meets a forgotten connection as ECONNRESET on reuse (it retries on a new one)', async () => {
    rx.setBehavior({ forgetIdleConnectionsMs: 100 });
    const exporter = new OTLPTraceExporter({ url: `${rx.url}/v1/traces`, timeoutMillis: 5000 });
    expect((await exportWith(exporter, recordSpans('first'))).code).toBe(ExportResultCode.SUCCESS);
    await sleep(250);
    const second = await exportWith(exporter, recordSpans('after-idle'));
    void exporter.shutdown();
    expect(rx.requests().map((r) => r.outcome).slice(0, 2)).toEqual(['accepted', 'forgotten']);
    expect(second.code).toBe(ExportResultCode.SUCCESS);
    expect(rx.spans().map((s) => s.name)).toEqual(['first', 'after-idle']);
  });

  it('does not count a request whose client gave up before the answer', async () => {
    rx.setBehavior({ delayMs: 600 });
    const exporter = new OTLPTraceExporter({ url: `${rx.url}/v1/traces`, timeoutMillis: 150 });
    const result = await exportWith(exporter, recordSpans('given-up'));
    void exporter.shutdown();
    expect(result.code).toBe(ExportResultCode.FAILED);
    await rx.waitFor((r) => r.requests().length === 1, 3000);
    expect(rx.requests()).toMatchObject([{ outcome: 'abandoned', status: undefined }]);
    expect(rx.spans()).toEqual([]);
  });

  it('stop() refuses connections and resume() serves again on the same port', async () => {
    const port = rx.port;
    await rx.stop();
    expect(rx.listening).toBe(false);
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve('connected'));
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? ''));
    });
    expect(refused).toBe('ECONNREFUSED');
    const exporter = new OTLPTraceExporter({ url: `${rx.url}/v1/traces`, timeoutMillis: 300 });
    expect((await exportWith(exporter, recordSpans('while-down'))).code).toBe(ExportResultCode.FAILED);
    await rx.resume();
    expect(rx.listening).toBe(true);
    expect(rx.port).toBe(port);
    expect((await exportWith(exporter, recordSpans('back'))).code).toBe(ExportResultCode.SUCCESS);
    void exporter.shutdown();
    expect(rx.spans().map((s) => s.name)).toEqual(['back']);
    await rx.resume(); // no-op while listening
  });

  it('stop() closes open keep-alive connections, and close() works while stopped', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    expect((await post(rx.url, agent)).status).toBe(200);
    await rx.stop();
    expect((await post(rx.url, agent)).error).toMatch(/ECONNREFUSED|ECONNRESET/);
    await rx.close();
    await expect(rx.resume()).rejects.toThrow(/closed/);
  });
});
