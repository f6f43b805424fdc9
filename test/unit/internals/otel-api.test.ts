// Pins what src/internals/otel-api.ts reads of @opentelemetry/api's and api-logs' globals.
import { context, diag, DiagLogLevel, ROOT_CONTEXT, createContextKey } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { afterEach, describe, expect, it } from 'vitest';
import { contextStorage, globalLoggerProvider, registeredDiagLogger } from '../../../src/internals/otel-api.js';

afterEach(() => {
  diag.disable();
  logs.disable();
  context.disable();
});

describe('@opentelemetry/api internals', () => {
  it('sees a registered diag logger, and none before', () => {
    expect(registeredDiagLogger()).toBeUndefined();
    const lines: string[] = [];
    diag.setLogger({ error: () => {}, warn: (m: string) => void lines.push(m), info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
    registeredDiagLogger()?.warn('hello');
    expect(lines).toEqual(['hello']);
  });

  it('reads the global logger provider of api-logs', () => {
    const provider = new LoggerProvider();
    logs.setGlobalLoggerProvider(provider);
    expect(globalLoggerProvider()).toBe(logs.getLoggerProvider());
  });

  it('finds the AsyncLocalStorage of AsyncLocalStorageContextManager, and nothing without it', async () => {
    expect(contextStorage(context)).toBeUndefined();
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const key = createContextKey('k');
    const als = contextStorage(context);
    expect(als).toBeDefined();
    await (async () => {
      als!.enterWith(ROOT_CONTEXT.setValue(key, 42));
      await Promise.resolve();
      expect(context.active().getValue(key)).toBe(42);
    })();
  });
});
