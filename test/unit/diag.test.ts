import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

describe('warnOnce', () => {
  let consoleWarns: string[];
  let diagWarns: string[];
  beforeEach(() => {
    vi.resetModules();
    consoleWarns = [];
    diagWarns = [];
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void consoleWarns.push(args.join(' ')));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    diag.disable();
  });

  it('without a diag logger: on the console, once per key', async () => {
    const { warnOnce } = await import('../../src/diag.js');
    warnOnce('k1', 'first');
    warnOnce('k1', 'first again');
    warnOnce('k2', 'second');
    expect(consoleWarns).toEqual(['otel-lambda-flush: first', 'otel-lambda-flush: second']);
  });

  it('with a diag logger registered: through it only, never printed twice', async () => {
    const noop = () => {};
    const logger: DiagLogger = { error: noop, info: noop, debug: noop, verbose: noop, warn: (m: string) => void diagWarns.push(m) };
    diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
    const { warnOnce } = await import('../../src/diag.js');
    warnOnce('k3', 'via diag');
    expect(diagWarns).toEqual(['otel-lambda-flush: via diag']);
    expect(consoleWarns).toEqual([]);
  });
});
