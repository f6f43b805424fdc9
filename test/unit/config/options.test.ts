import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveOptions } from '../../../src/config/options.js';
import { VARS } from '../../../src/config/variables.js';
import { resetWarnings } from '../../../src/config/warnings.js';

let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  resetWarnings();
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());
const warnings = () => warn.mock.calls.map((c: unknown[]) => String(c[0]));

describe('resolveOptions', () => {
  it('uses the table defaults when nothing is set, without a warning', () => {
    const r = resolveOptions(undefined, {});
    expect(r.flushTimeoutMs).toBe(VARS.flushTimeoutMs.default);
    expect(r.deadlineMarginMs).toBe(VARS.deadlineMarginMs.default);
    expect(r.flush).toEqual({ mode: 'sync', intervalMs: VARS.flushIntervalMs.default, maxPending: VARS.flushMaxPending.default });
    expect(r.extension).toBe(false);
    expect(r.maxLinks).toBe(32);
    expect(r.handleSigterm).toBe(true);
    expect(r.propagators).toEqual(['tracecontext', 'baggage']);
    expect(r.concurrent).toBe(false);
    expect(warnings()).toEqual([]);
  });

  it('env vars fill what code leaves unset; code wins', () => {
    const env = { OTEL_LAMBDA_FLUSH_TIMEOUT_MS: '250', OTEL_LAMBDA_FLUSH_MODE: 'periodic', OTEL_LAMBDA_EXTENSION: 'TRUE', OTEL_LAMBDA_MAX_LINKS: '4', OTEL_LAMBDA_CAPTURE_REQUEST_HEADERS: 'x-a, X-B' };
    const fromEnv = resolveOptions({}, env);
    expect(fromEnv.flushTimeoutMs).toBe(250);
    expect(fromEnv.flush.mode).toBe('periodic');
    expect(fromEnv.extension).toMatchObject({ name: 'otel-lambda-flush', registrationTimeoutMs: 1000 });
    expect(fromEnv.maxLinks).toBe(4);
    expect(fromEnv.captureRequestHeaders).toEqual(['x-a', 'X-B']);
    const fromCode = resolveOptions({ flushTimeoutMs: 99, flush: { mode: 'sync' }, extension: false, captureRequestHeaders: [] }, env);
    expect(fromCode.flushTimeoutMs).toBe(99);
    expect(fromCode.flush.mode).toBe('sync');
    expect(fromCode.extension).toBe(false);
    expect(fromCode.captureRequestHeaders).toEqual([]);
  });

  it('the extension is resolved in full: defaults, env, code', () => {
    const r = resolveOptions({ extension: { name: 'x', telemetry: { buffering: { maxItems: 5 } } } }, { OTEL_LAMBDA_TELEMETRY_PORT: '4300' });
    expect(r.flush.mode).toBe('adaptive');
    expect(r.extension).toEqual({
      name: 'x',
      registrationTimeoutMs: 1000,
      gateMarginMs: 50,
      telemetry: { host: 'sandbox.localdomain', port: 4300, buffering: { maxItems: 1000, maxBytes: 262_144, timeoutMs: 25 }, forwardLogs: false, bodyTimeoutMs: 5000 },
    });
    expect(warnings()).toEqual([expect.stringContaining('extension.telemetry.buffering.maxItems=5 is outside 1000..10000; using 1000')]);
    expect(resolveOptions({ extension: { telemetry: false } }, {}).extension).toEqual({ name: 'otel-lambda-flush', registrationTimeoutMs: 1000, gateMarginMs: 50 });
    expect(resolveOptions({ extension: true }, { OTEL_LAMBDA_TELEMETRY: '0' }).extension).not.toHaveProperty('telemetry');
  });

  it('OTEL_LAMBDA_EXTENSION=1 and =true mean the same everywhere (one boolean rule)', () => {
    expect(resolveOptions({}, { OTEL_LAMBDA_EXTENSION: '1' }).extension).not.toBe(false);
    expect(resolveOptions({}, { OTEL_LAMBDA_EXTENSION: 'true' }).extension).not.toBe(false);
    expect(resolveOptions({}, { OTEL_LAMBDA_EXTENSION: '0' }).extension).toBe(false);
    expect(warnings()).toEqual([]);
  });

  it.each([
    [{ flushTimeoutMs: '100' }, /"flushTimeoutMs" must be a whole number/],
    [{ flushTimeoutMs: 1.5 }, /"flushTimeoutMs" must be a whole number/],
    [{ requestHook: 'x' }, /"requestHook" must be a function/],
    [{ handleSigterm: 1 }, /"handleSigterm" must be a boolean/],
    [{ flush: { mode: 'fast' } }, /"flush.mode" must be one of/],
    [{ flush: { interval: 5 } }, /unknown option "flush.interval"/],
    [{ flush: [] }, /"flush" must be an object/],
    [{ extension: 'yes' }, /"extension" must be a boolean or an object/],
    [{ extension: { telemetry: { port: 9001 } } }, /"extension.telemetry.port"/],
    [{ extension: { telemetry: { port: '1' } } }, /"extension.telemetry.port" must be a whole number/],
    [{ extension: { nmae: 'x' } }, /unknown option "extension.nmae"/],
    [{ tracerProvider: {} }, /"tracerProvider" must be an object with a getTracer/],
    [{ propagators: 'xray' }, /"propagators" must be an array of strings/],
    [{ flushTimeout: 5 }, /unknown option "flushTimeout"/],
  ])('throws a TypeError for %j', (input, message) => {
    expect(() => resolveOptions(input as never, {})).toThrow(TypeError);
    expect(() => resolveOptions(input as never, {})).toThrow(message);
  });

  it('throws for non-object options', () => {
    expect(() => resolveOptions(42 as never, {})).toThrow(/"options" must be an object, got number 42/);
  });

  it.each([
    [{ flushTimeoutMs: 0 }, 'flushTimeoutMs', 10],
    [{ flushMarginMs: 1e9 }, 'flushMarginMs', 10_000],
    [{ deadlineMarginMs: 1e9 }, 'deadlineMarginMs', 60_000],
    [{ maxLinks: -1 }, 'maxLinks', 0],
  ])('an out-of-range number in code warns once and is clamped: %j', (input, key, expected) => {
    expect(resolveOptions(input, {})[key as 'maxLinks']).toBe(expected);
    resolveOptions(input, {});
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toContain(`option ${key}=`);
  });

  it('maxAttributeLength: the option or env var, lowered by OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', () => {
    expect(resolveOptions({}, {}).maxAttributeLength).toBe(4096);
    expect(resolveOptions({}, { OTEL_LAMBDA_MAX_ATTRIBUTE_LENGTH: '100' }).maxAttributeLength).toBe(100);
    expect(resolveOptions({ maxAttributeLength: 200 }, { OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '64' }).maxAttributeLength).toBe(64);
    expect(resolveOptions({}, { OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '100000' }).maxAttributeLength).toBe(4096);
    expect(resolveOptions({ maxAttributeLength: 2000 }, { OTEL_LAMBDA_MAX_ATTRIBUTE_LENGTH: '512' }).maxAttributeLength).toBe(2000);
    // span-specific first, as in the SDK
    expect(resolveOptions({}, { OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: '200', OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '100' }).maxAttributeLength).toBe(200);
    expect(resolveOptions({}, { OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '0' }).maxAttributeLength).toBe(4096);
  });

  it('AWS_LAMBDA_MAX_CONCURRENCY marks concurrent invokes (Managed Instances)', () => {
    expect(resolveOptions({}, { AWS_LAMBDA_MAX_CONCURRENCY: '64' }).concurrent).toBe(true);
  });
});

describe('wrappers built per invoke', () => {
  it('at most 64 are remembered for SIGTERM, with one warning naming the fix', async () => {
    const { withFlush } = await import('../../../src/handler/with-flush.js');
    const { processState } = await import('../../../src/state.js');
    const before = processState().targets.size;
    for (let i = 0; i < 80; i++) withFlush(async () => i, { handleSigterm: false });
    expect(processState().targets.size).toBeLessThanOrEqual(Math.max(64, before));
    expect(warnings().filter((w: string) => w.includes('build withFlush()/otelFlush() once, at module scope'))).toHaveLength(1);
  });
});
