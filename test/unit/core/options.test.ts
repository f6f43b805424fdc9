import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULTS, envBool, envInt, resolveOptions } from '../../../src/options.js';

describe('resolveOptions', () => {
  afterEach(() => vi.restoreAllMocks());

  it('uses defaults when nothing is set', () => {
    const r = resolveOptions(undefined, {});
    expect(r.flushTimeoutMs).toBe(DEFAULTS.flushTimeoutMs);
    expect(r.deadlineMarginMs).toBe(DEFAULTS.deadlineMarginMs);
    expect(r.flush).toEqual({ mode: 'sync', intervalMs: DEFAULTS.intervalMs, maxPending: DEFAULTS.maxPending });
    expect(r.extension).toBe(false);
    expect(r.maxLinks).toBe(32);
    expect(r.handleSigterm).toBe(true);
  });

  it('env vars fill what code leaves unset; code wins', () => {
    const env = { OTEL_LAMBDA_FLUSH_TIMEOUT_MS: '250', OTEL_LAMBDA_FLUSH_MODE: 'periodic', OTEL_LAMBDA_EXTENSION: 'TRUE', OTEL_LAMBDA_MAX_LINKS: '4' };
    const fromEnv = resolveOptions({}, env);
    expect(fromEnv.flushTimeoutMs).toBe(250);
    expect(fromEnv.flush.mode).toBe('periodic');
    expect(fromEnv.extension).toEqual({});
    expect(fromEnv.maxLinks).toBe(4);
    const fromCode = resolveOptions({ flushTimeoutMs: 99, flush: { mode: 'sync' }, extension: false }, env);
    expect(fromCode.flushTimeoutMs).toBe(99);
    expect(fromCode.flush.mode).toBe('sync');
    expect(fromCode.extension).toBe(false);
  });

  it('defaults the mode to adaptive when the extension is on', () => {
    expect(resolveOptions({ extension: { name: 'x' } }, {}).flush.mode).toBe('adaptive');
    expect(resolveOptions({ extension: { name: 'x' } }, {}).extension).toEqual({ name: 'x' });
  });

  it.each([
    [{ flushTimeoutMs: '100' }, /"flushTimeoutMs" must be an integer/],
    [{ flushTimeoutMs: -1 }, /"flushTimeoutMs" must be an integer/],
    [{ flushTimeoutMs: 1.5 }, /"flushTimeoutMs"/],
    [{ requestHook: 'x' }, /"requestHook" must be a function/],
    [{ handleSigterm: 1 }, /"handleSigterm" must be a boolean/],
    [{ flush: { mode: 'fast' } }, /"flush.mode" must be one of/],
    [{ flush: [] }, /"flush" must be an object/],
    [{ extension: 'yes' }, /"extension" must be a boolean or an object/],
    [{ extension: { telemetry: { port: 70000 } } }, /"extension.telemetry.port"/],
    [{ tracerProvider: {} }, /"tracerProvider" must be an object with a getTracer/],
    [{ flushTimeout: 5 }, /unknown option "flushTimeout"/],
  ])('throws a TypeError for %j', (input, message) => {
    expect(() => resolveOptions(input as never, {})).toThrow(TypeError);
    expect(() => resolveOptions(input as never, {})).toThrow(message);
  });

  it('throws for non-object options', () => {
    expect(() => resolveOptions(42 as never, {})).toThrow(/"options" must be an object, got number/);
  });
});

describe('env parsing', () => {
  afterEach(() => vi.restoreAllMocks());

  it('warns once, naming the variable and the default, for unparseable values', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(envInt('OTEL_LAMBDA_TEST_A', 7, { OTEL_LAMBDA_TEST_A: 'ten' })).toBe(7);
    expect(envInt('OTEL_LAMBDA_TEST_A', 7, { OTEL_LAMBDA_TEST_A: 'ten' })).toBe(7);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/OTEL_LAMBDA_TEST_A="ten".*default 7/);
    expect(envBool('OTEL_LAMBDA_TEST_B', false, { OTEL_LAMBDA_TEST_B: 'yes' })).toBe(false);
    expect(String(warn.mock.calls[1]?.[0])).toMatch(/OTEL_LAMBDA_TEST_B="yes".*default false/);
  });

  it('an unparseable mode falls back to the automatic default with a warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(resolveOptions({}, { OTEL_LAMBDA_FLUSH_MODE: 'turbo' }).flush.mode).toBe('sync');
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/OTEL_LAMBDA_FLUSH_MODE="turbo"/);
  });
});
