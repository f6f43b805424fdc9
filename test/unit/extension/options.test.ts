import { describe, expect, it } from 'vitest';
import { workerConfig } from '../../../src/extension/index.js';
import { envBoolean, resolveExtensionOptions } from '../../../src/extension/options.js';

describe('resolveExtensionOptions', () => {
  it('applies the defaults', () => {
    expect(resolveExtensionOptions(true, {})).toEqual({
      name: 'otel-lambda-flush',
      registrationTimeoutMs: 1000,
      gateMarginMs: 50,
      telemetry: {
        host: 'sandbox.localdomain',
        port: 0,
        buffering: { maxItems: 1000, maxBytes: 262_144, timeoutMs: 25 },
        forwardLogs: false,
        bodyTimeoutMs: 5000,
      },
    });
  });

  it('reads env vars, and code wins over them', () => {
    const env = { OTEL_LAMBDA_TELEMETRY_HOST: '127.0.0.1', OTEL_LAMBDA_TELEMETRY_PORT: '0', OTEL_LAMBDA_FORWARD_LOGS: 'true' };
    expect(resolveExtensionOptions(undefined, env).telemetry).toMatchObject({ host: '127.0.0.1', port: 0, forwardLogs: true });
    expect(resolveExtensionOptions({ telemetry: { port: 5000, forwardLogs: false } }, env).telemetry).toMatchObject({ port: 5000, forwardLogs: false });
    expect(resolveExtensionOptions(undefined, { OTEL_LAMBDA_TELEMETRY: 'false' }).telemetry).toBeUndefined();
    expect(resolveExtensionOptions({ telemetry: false }, {}).telemetry).toBeUndefined();
  });

  it('ignores an unusable env port with the default', () => {
    expect(resolveExtensionOptions(undefined, { OTEL_LAMBDA_TELEMETRY_PORT: '9001' }).telemetry?.port).toBe(0);
    expect(resolveExtensionOptions(undefined, { OTEL_LAMBDA_TELEMETRY_PORT: 'abc' }).telemetry?.port).toBe(0);
    expect(resolveExtensionOptions(undefined, { OTEL_LAMBDA_TELEMETRY_PORT: '4243' }).telemetry?.port).toBe(4243);
  });

  it('clamps buffering to the Telemetry API limits', () => {
    const t = resolveExtensionOptions({ telemetry: { buffering: { maxItems: 5, maxBytes: 10_000_000, timeoutMs: 1 } } }, {}).telemetry;
    expect(t?.buffering).toEqual({ maxItems: 1000, maxBytes: 1_048_576, timeoutMs: 25 });
  });

  it('throws a TypeError for wrong types', () => {
    expect(() => resolveExtensionOptions({ name: 3 } as never, {})).toThrow(TypeError);
    expect(() => resolveExtensionOptions({ telemetry: 'yes' } as never, {})).toThrow(TypeError);
    expect(() => resolveExtensionOptions({ telemetry: { port: '1' } } as never, {})).toThrow(TypeError);
    expect(() => resolveExtensionOptions({ telemetry: { port: 9001 } }, {})).toThrow(/9001/);
    expect(() => resolveExtensionOptions('x' as never, {})).toThrow(TypeError);
  });

  it('parses boolean env vars', () => {
    expect(envBoolean({ X: 'TRUE' }, 'X')).toBe(true);
    expect(envBoolean({ X: '0' }, 'X')).toBe(false);
    expect(envBoolean({ X: 'maybe' }, 'X')).toBeUndefined();
    expect(envBoolean({}, 'X')).toBeUndefined();
  });
});

describe('workerConfig', () => {
  const resolved = resolveExtensionOptions({ telemetry: { forwardLogs: true } }, {});
  it('needs the Runtime API address', () => {
    expect(workerConfig(resolved, {})).toBeUndefined();
  });
  it('registers for INVOKE, subscribing to logs only when forwarding them', () => {
    const c = workerConfig(resolved, { AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001' });
    expect(c).toMatchObject({ runtimeApi: '127.0.0.1:9001', invoke: true, telemetry: { types: ['platform', 'function', 'extension'] } });
    expect(workerConfig(resolveExtensionOptions(true, {}), { AWS_LAMBDA_RUNTIME_API: 'x:1' })?.telemetry?.types).toEqual(['platform']);
  });
  it('registers for no event on Managed Instances or when no mode needs the gate', () => {
    expect(workerConfig(resolved, { AWS_LAMBDA_RUNTIME_API: 'x:1', AWS_LAMBDA_MAX_CONCURRENCY: '8' })?.invoke).toBe(false);
    expect(workerConfig(resolved, { AWS_LAMBDA_RUNTIME_API: 'x:1' }, false)?.invoke).toBe(false);
  });
});
