// README "Options": requestHook / responseHook, option and env validation, onFlush outcomes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LambdaSimulator, type OtlpReceiver } from '../../src/testing/index.js';
import { capabilityFixtures, flushOutcomes, startCapability } from './capabilities-helpers.js';
import { invocationSpan } from './core-helpers.js';

describe('requestHook / responseHook', () => {
  let rx: OtlpReceiver;
  let sim: LambdaSimulator;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ rx, sim, close } = await startCapability('hooks.handler'));
  });
  afterAll(() => close?.());

  it('add attributes to the invocation span, with the result or the error', async () => {
    const ok = await sim.invoke({ id: 'a1' });
    expect(ok.response).toEqual({ id: 'a1', ok: true });
    const okSpan = invocationSpan(rx.spans(), ok.requestId);
    expect(okSpan!.attributes).toMatchObject({ 'test.request.id': 'a1', 'test.request.function': 'test-function', 'test.response.ok': true });
    expect(okSpan!.attributes).not.toHaveProperty('test.response.error');

    const bad = await sim.invoke({ id: 'b2', fail: true });
    expect(bad.status).toBe('error');
    const badSpan = invocationSpan(rx.spans(), bad.requestId);
    expect(badSpan!.attributes).toMatchObject({ 'test.request.id': 'b2', 'test.response.ok': false, 'test.response.error': 'failing b2' });
    expect(badSpan!.status.code).toBe('error');
  }, 30_000);

  it('hooks that throw change nothing: same result, same error, span exported with its status', async () => {
    const ok = await sim.invoke({ id: 'c3', hooksThrow: true });
    expect(ok.status).toBe('success');
    expect(ok.response).toEqual({ id: 'c3', ok: true });
    const okSpan = invocationSpan(rx.spans(), ok.requestId);
    expect(okSpan, 'span exported').toBeDefined();
    expect(okSpan!.status.code).toBe('unset');
    expect(okSpan!.attributes).toMatchObject({ 'test.request.id': 'c3', 'test.response.ok': true });
    expect(okSpan!.events).toEqual([]); // a hook's error is not recorded as the handler's

    const bad = await sim.invoke({ id: 'd4', fail: true, hooksThrow: true });
    expect(bad.status).toBe('error');
    expect(bad.error).toMatchObject({ errorType: 'RangeError', errorMessage: 'failing d4' });
    const badSpan = invocationSpan(rx.spans(), bad.requestId);
    expect(badSpan!.status).toMatchObject({ code: 'error', message: 'failing d4' });
    expect(badSpan!.events.map((e) => e.attributes['exception.message'])).toEqual(['failing d4']);
  }, 30_000);
});

describe('validation', () => {
  it('a wrong option type at module load: start() rejects with LambdaSimulatorError, errorType TypeError naming the option', async () => {
    const error = await LambdaSimulator.start({ taskRoot: capabilityFixtures, handler: 'bad-option.handler' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('LambdaSimulatorError');
    const { errorType, lambdaError } = error as { errorType: string; lambdaError: { errorType: string; errorMessage: string; trace?: string[] } };
    // aws-lambda-ric posts a module-load throw to /init/error under the error's own name (as
    // Lambda reports it), not as a Runtime.* type; the simulator passes it on unchanged.
    expect(errorType).toBe('TypeError');
    expect(lambdaError.errorType).toBe('TypeError');
    expect(lambdaError.errorMessage).toBe('otel-lambda-flush: option "flushTimeoutMs" must be a whole number, got string');
    expect(lambdaError.trace?.some((line) => line.includes('bad-option.mjs'))).toBe(true);
    expect((error as Error).message).toContain('init failed: TypeError: otel-lambda-flush: option "flushTimeoutMs"');
  }, 30_000);

  it('an unparseable env value: one warning naming the variable and the default; the function works', async () => {
    const { rx, sim, close } = await startCapability('plain.handler', { env: { OTEL_LAMBDA_FLUSH_TIMEOUT_MS: 'abc' } });
    try {
      for (let n = 0; n < 3; n++) {
        const r = await sim.invoke({ n });
        expect(r.status).toBe('success');
        expect(invocationSpan(rx.spans(), r.requestId), `span of invoke ${n}`).toBeDefined();
      }
      const warnings = sim.logs.filter((l) => l.includes('OTEL_LAMBDA_FLUSH_TIMEOUT_MS'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('"abc"');
      expect(warnings[0]).toContain('default 1000');
    } finally {
      await close();
    }
  }, 30_000);
});

describe('onFlush', () => {
  it('gets every flush outcome: ok normally, failed while the collector answers 503', async () => {
    // The OTLP exporter retries a 503 (about 1 s backoff) until its timeout, which setupTelemetry
    // sets to OTEL_LAMBDA_FLUSH_TIMEOUT_MS: it gives up about 1 s in, inside a 2 s flush budget,
    // so the flush reports `failed` rather than `timeout`.
    const { rx, sim, close } = await startCapability('on-flush.handler', { env: { OTEL_LAMBDA_FLUSH_TIMEOUT_MS: '2000' } });
    try {
      const first = await sim.invoke({ n: 1 });
      expect(first.status).toBe('success');
      const [ok] = flushOutcomes(sim.logs);
      expect(ok).toMatchObject({ reason: 'invoke', status: 'ok', hasError: false, signals: { traces: 'ok', metrics: 'skipped', logs: 'skipped' } });
      expect(ok!.budgetMs).toBeGreaterThan(0);
      expect(ok!.budgetMs).toBeLessThanOrEqual(2000);

      rx.setBehavior({ failureRate: 1 });
      const second = await sim.invoke({ n: 2 });
      expect(second.status).toBe('success');
      expect(second.response).toEqual({ ok: true, n: 2 });
      const all = flushOutcomes(sim.logs);
      expect(all).toHaveLength(2);
      expect(all[1]).toMatchObject({ reason: 'invoke', status: 'failed', hasError: true, signals: { traces: 'failed' } });
      expect(rx.requests().some((q) => q.status === 503)).toBe(true);
    } finally {
      await close();
    }
  }, 30_000);
});
