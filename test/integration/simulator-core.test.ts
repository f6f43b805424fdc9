// The simulator's Runtime API and process model, against the real aws-lambda-ric on Node 24.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LambdaSimulator, LambdaSimulatorError } from '../../src/testing/index.js';

const taskRoot = fileURLToPath(new URL('../fixtures/sim', import.meta.url));
const sims: LambdaSimulator[] = [];

async function start(handler: string, extra: Partial<Parameters<typeof LambdaSimulator.start>[0]> = {}): Promise<LambdaSimulator> {
  const sim = await LambdaSimulator.start({ taskRoot, handler, ...extra });
  sims.push(sim);
  return sim;
}

afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

describe('invoke through the real runtime client', () => {
  it('hands the event over with Lambda headers and environment, then freezes', async () => {
    const sim = await start('basic.handler', { env: { EXTRA: 'yes' }, memorySizeMb: 256, functionName: 'fn-a' });
    expect(sim.inits).toHaveLength(1);
    expect(sim.inits[0]!.initDurationMs).toBeGreaterThan(0);
    const r = await sim.invoke({ hello: 'world' }, { traceId: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1', clientContext: { custom: { k: 'v' } } });
    expect(r.status).toBe('success');
    expect(r.coldStart).toBe(true);
    expect(r.initDurationMs).toBeGreaterThan(0);
    expect(r.frozen).toBe(true);
    expect(sim.processState()).toBe('T');
    const body = r.response as Record<string, any>;
    expect(body.event).toEqual({ hello: 'world' });
    expect(body.requestId).toBe(r.requestId);
    expect(body.pid).toBe(sim.pid);
    expect(body.arn).toBe('arn:aws:lambda:us-east-1:123456789012:function:fn-a');
    expect(body.traceEnv).toBe('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1');
    expect(body.clientContext).toEqual({ custom: { k: 'v' } });
    expect(body.remaining).toBeGreaterThan(0);
    expect(body.remaining).toBeLessThanOrEqual(3000);
    expect(body.env).toEqual({ name: 'fn-a', memory: '256', initType: 'on-demand', execEnv: 'AWS_Lambda_nodejs24.x', tz: ':UTC', extra: 'yes' });
    expect(Number(body.node.split('.')[0])).toBeGreaterThanOrEqual(22);
    expect(r.latencyMs).toBeGreaterThan(0);
    expect(r.billedDurationMs).toBeGreaterThanOrEqual(Math.floor(r.latencyMs));

    const r2 = await sim.invoke({ n: 2 });
    expect(r2.coldStart).toBe(false);
    expect(r2.initDurationMs).toBeUndefined();
    expect((r2.response as { pid: number }).pid).toBe(body.pid);
  });

  it('runs a CommonJS handler and reports runtime errors with errorType and errorMessage', async () => {
    const sim = await start('basic.handler');
    const thrown = await sim.invoke({ action: 'throw', message: 'bad thing' });
    expect(thrown.status).toBe('error');
    expect(thrown.error).toMatchObject({ errorType: 'CustomError', errorMessage: 'bad thing' });
    expect(thrown.error?.trace?.[0]).toContain('CustomError: bad thing');

    const cjs = await start('commonjs.handler');
    const ok = await cjs.invoke({});
    expect(ok.response).toMatchObject({ cjs: true, requestId: ok.requestId });
    const bad = await cjs.invoke({ action: 'throw' });
    expect(bad.error).toMatchObject({ errorType: 'TypeError', errorMessage: 'cjs boom' });
  });

  it('accepts a streamed response and a streamed error (trailers)', async () => {
    const sim = await start('streaming.handler');
    const ok = await sim.invoke({ parts: ['one ', 'two'] });
    expect(ok.status).toBe('success');
    expect(ok.response).toBe('one two');
    expect(ok.stream).toMatchObject({ contentType: 'text/plain' });
    expect(Buffer.from(ok.stream!.raw).toString()).toBe('one two');
    expect(ok.stream!.http).toBeUndefined();
    const bad = await sim.invoke({ fail: true });
    expect(bad.status).toBe('error');
    expect(bad.error).toMatchObject({ errorType: 'Error', errorMessage: 'stream broke' });
  });

  it('decodes a streamed HTTP integration response (HttpResponseStream.from) and keeps the raw bytes', async () => {
    const sim = await start('streaming.handler');
    const http = { statusCode: 201, headers: { 'content-type': 'text/html', 'x-n': 7 }, cookies: ['a=1', 'b=2'] };
    const r = await sim.invoke({ http, parts: ['<p>', 'hi', '</p>'], binary: true });
    expect(r.status).toBe('success');
    const bodyBytes = Buffer.concat([Buffer.from('<p>hi</p>'), Buffer.from([0, 1, 2, 255])]);
    expect(r.response).toEqual({
      statusCode: 201,
      headers: { 'content-type': 'text/html', 'x-n': '7' },
      cookies: ['a=1', 'b=2'],
      body: bodyBytes.toString('utf8'),
      bodyBytes: new Uint8Array(bodyBytes),
    });
    expect(r.stream?.contentType).toBe('application/vnd.awslambda.http-integration-response');
    expect(r.stream?.http).toEqual(r.response);
    // Raw: JSON prelude, 8 NUL bytes, body.
    expect(Buffer.from(r.stream!.raw).equals(Buffer.concat([Buffer.from(JSON.stringify(http)), Buffer.alloc(8), bodyBytes]))).toBe(true);

    const bare = await sim.invoke({ http: {}, parts: ['x'] });
    expect(bare.response).toMatchObject({ statusCode: 200, headers: {}, cookies: [], body: 'x' });
    const buffered = await start('basic.handler');
    expect((await buffered.invoke({ action: 'text', text: 'plain' })).stream).toBeUndefined();
  });

  it('fails a response above 6 MB with Function.ResponseSizeTooLarge and keeps the process', async () => {
    const sim = await start('basic.handler');
    const pid = sim.pid;
    const under = await sim.invoke({ action: 'big', bytes: 6 * 1024 * 1024 - 2 }); // + 2 quotes = exactly 6 MB
    expect(under.status).toBe('success');
    expect((under.response as string).length).toBe(6 * 1024 * 1024 - 2);
    const over = await sim.invoke({ action: 'big', bytes: 6 * 1024 * 1024 });
    expect(over.status).toBe('error');
    expect(over.error?.errorType).toBe('Function.ResponseSizeTooLarge');
    expect(over.response).toBeUndefined();
    const after = await sim.invoke({});
    expect(after.status).toBe('success');
    expect(sim.pid).toBe(pid);
  });

  it('answers unknown request ids, double responses and malformed error bodies with 4xx', async () => {
    const sim = await start('basic.handler');
    const r = await sim.invoke({
      action: 'raw',
      requests: [
        { method: 'POST', path: '/2018-06-01/runtime/invocation/{id}/error', body: 'not json' },
        { method: 'POST', path: '/2018-06-01/runtime/invocation/{id}/response', body: '"first"' },
        { method: 'POST', path: '/2018-06-01/runtime/invocation/{id}/response', body: '"second"' },
        { method: 'POST', path: '/2018-06-01/runtime/invocation/not-a-request/response', body: '1' },
      ],
    });
    // The handler's own answer came first; what it returned later was refused.
    expect(r.response).toBe('first');
    const results = (await sim.invoke({ action: 'rawResults' })).response as { status: number; body: { errorType: string } }[];
    expect(results.map((x) => x.status)).toEqual([400, 202, 403, 400]);
    expect(results[0]!.body.errorType).toBe('InvalidRequestFormat');
    expect(results[2]!.body.errorType).toBe('InvalidStateTransition');
    expect(results[3]!.body.errorType).toBe('InvalidRequestID');

    const late = await fetch(`http://${sim.runtimeApi}/2018-06-01/runtime/invocation/${r.requestId}/response`, { method: 'POST', body: '{}' });
    expect(late.status).toBe(403);
    const unknown = await fetch(`http://${sim.runtimeApi}/2018-06-01/runtime/nothing`);
    expect(unknown.status).toBe(404);
  });

  it('times out at the deadline, kills the process and cold-starts a new one', async () => {
    const sim = await start('basic.handler', { timeoutMs: 600 });
    const oldPid = sim.pid!;
    const r = await sim.invoke({ action: 'sleep', ms: 5000 });
    expect(r.status).toBe('timeout');
    expect(r.error?.errorType).toBe('Sandbox.Timedout');
    expect(r.error?.errorMessage).toContain('0.60 seconds');
    expect(r.billedDurationMs).toBeGreaterThanOrEqual(600);
    expect(r.billedDurationMs).toBeLessThan(5000);
    expect(sim.pid).toBeUndefined();
    const next = await sim.invoke({});
    expect(next.status).toBe('success');
    expect(next.coldStart).toBe(true);
    expect(sim.pid).not.toBe(oldPid);
    expect(sim.inits).toHaveLength(2);
    expect(sim.telemetry.emitted.some((e) => e.type === 'platform.report' && (e.record as { status: string }).status === 'timeout')).toBe(true);
  });

  it('reports a crash as failure (Runtime.ExitError) and cold-starts after it', async () => {
    const sim = await start('basic.handler');
    const r = await sim.invoke({ action: 'exit' });
    expect(r.status).toBe('failure');
    expect(r.error?.errorType).toBe('Runtime.ExitError');
    expect(r.error?.errorMessage).toContain('exit status 3');
    const next = await sim.invoke({});
    expect(next.coldStart).toBe(true);
    expect(next.status).toBe('success');
  });

  it('queues concurrent invokes one at a time', async () => {
    const sim = await start('basic.handler');
    const rs = await Promise.all([sim.invoke({ action: 'sleep', ms: 50 }), sim.invoke({ n: 1 }), sim.invoke({ n: 2 })]);
    expect(rs.map((r) => r.status)).toEqual(['success', 'success', 'success']);
    expect(rs.map((r) => r.coldStart)).toEqual([true, false, false]);
    expect(new Set(rs.map((r) => r.requestId)).size).toBe(3);
  });

  it('SIGKILLs at once at shutdown when no extension is registered', async () => {
    const sim = await start('basic.handler', { shutdownGraceMs: 2000 });
    await sim.invoke({});
    const s = await sim.shutdown();
    expect(s.signal).toBe('SIGKILL');
    expect(s.exitSignal).toBe('SIGKILL');
    expect(s.exitedWithinGrace).toBe(false);
    expect(s.durationMs).toBeLessThan(1500); // far below the 2000 ms grace it did not use
    expect(sim.pid).toBeUndefined();
    expect((await sim.shutdown()).signal).toBe('none');
  });
});

describe('bad use', () => {
  it('fails start() with the init error the runtime posted', async () => {
    const err = await LambdaSimulator.start({ taskRoot, handler: 'init-error.handler' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LambdaSimulatorError);
    expect((err as LambdaSimulatorError).errorType).toBe('Error');
    expect((err as Error).message).toContain('cannot initialise');
  });

  it('fails start() when the handler function is not exported', async () => {
    const err = await LambdaSimulator.start({ taskRoot, handler: 'basic.missing' }).catch((e: unknown) => e);
    expect((err as LambdaSimulatorError).errorType).toBe('Runtime.HandlerNotFound');
  });

  it('refuses a missing handler file and a relative task root before spawning', async () => {
    await expect(LambdaSimulator.start({ taskRoot, handler: 'nope.handler' })).rejects.toThrow(/handler module not found/);
    await expect(LambdaSimulator.start({ taskRoot: 'relative/dir', handler: 'basic.handler' })).rejects.toThrow(/absolute path/);
  });

  it('reports a fixed port that is in use', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const { port } = blocker.address() as AddressInfo;
    try {
      await expect(LambdaSimulator.start({ taskRoot, handler: 'basic.handler', port })).rejects.toThrow(`port ${port} on 127.0.0.1 is in use`);
    } finally {
      blocker.close();
    }
  });

  it('rejects invoke after close, and close is idempotent', async () => {
    const sim = await start('basic.handler');
    await sim.close();
    await sim.close();
    await expect(sim.invoke({})).rejects.toThrow(/after close/);
  });
});
