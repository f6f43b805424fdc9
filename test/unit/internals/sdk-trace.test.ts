// Pins src/internals/sdk-trace.ts against the installed @opentelemetry/sdk-trace (2.x): for an
// SDK TracerProvider it must do what provider.forceFlush() does (same processors called, same
// resolution, same rejection values), minus the per-processor timers; anything else is left
// to the provider's own forceFlush.
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { TracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushSdkTracerProvider } from '../../../src/internals/sdk-trace.js';

type Behaviour = 'ok' | 'reject' | 'throw' | 'reject-zero' | 'not-a-promise';

function processor(behaviour: Behaviour, calls: string[], name: string): SpanProcessor {
  return {
    onStart: () => undefined,
    onEnd: () => undefined,
    shutdown: () => Promise.resolve(),
    forceFlush: () => {
      calls.push(name);
      if (behaviour === 'throw') throw new Error(`${name} threw`);
      if (behaviour === 'reject') return Promise.reject(new Error(`${name} rejected`));
      if (behaviour === 'reject-zero') return Promise.reject(0);
      if (behaviour === 'not-a-promise') return undefined as unknown as Promise<void>;
      return Promise.resolve();
    },
  };
}

async function settle(p: Promise<void>): Promise<{ ok: true } | { ok: false; value: unknown }> {
  try {
    await p;
    return { ok: true };
  } catch (value) {
    return { ok: false, value };
  }
}

/** The same provider built twice: one flushed by the SDK, one by the shortcut. */
async function compare(behaviours: Behaviour[]) {
  const sdkCalls: string[] = [];
  const ownCalls: string[] = [];
  const sdk = new BasicTracerProvider({ spanProcessors: behaviours.map((b, i) => processor(b, sdkCalls, `p${i}`)) });
  const own = new BasicTracerProvider({ spanProcessors: behaviours.map((b, i) => processor(b, ownCalls, `p${i}`)) });
  const direct = flushSdkTracerProvider(own, 1000);
  expect(direct, 'an SDK provider is flushed directly').toBeDefined();
  const [a, b] = await Promise.all([settle(sdk.forceFlush()), settle(direct!)]);
  expect(ownCalls).toEqual(sdkCalls);
  return { sdk: a, own: b };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('sdk-trace internals: TracerProvider.forceFlush without its timers', () => {
  it.each<[string, Behaviour[]]>([
    ['one processor, resolving', ['ok']],
    ['one processor, rejecting', ['reject']],
    ['one processor, throwing', ['throw']],
    ['one processor, not returning a promise', ['not-a-promise']],
    ['one processor, rejecting with 0 (the SDK counts that as resolved)', ['reject-zero']],
    ['two processors, both resolving', ['ok', 'ok']],
    ['three processors, two rejecting', ['reject', 'ok', 'reject']],
    ['three processors, one throwing among rejections', ['reject', 'throw', 'throw']],
  ])('%s: same calls and same result as provider.forceFlush()', async (_name, behaviours) => {
    const { sdk, own } = await compare(behaviours);
    expect(own.ok).toBe(sdk.ok);
    if (!own.ok && !sdk.ok) {
      expect(Array.isArray(own.value)).toBe(Array.isArray(sdk.value));
      const messages = (v: unknown) => (v as unknown[]).map((e) => (e instanceof Error ? e.constructor.name + (e instanceof TypeError ? '' : `: ${e.message}`) : e));
      expect(messages(own.value)).toEqual(messages(sdk.value));
    }
  });

  it('exports what the SDK would, with one timer less per processor than provider.forceFlush()', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 60_000 })] });
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const tracer = provider.getTracer('t');
    tracer.startSpan('first').end();
    timers.mockClear();
    await flushSdkTracerProvider(provider, 1000);
    const byShortcut = timers.mock.calls.length;
    tracer.startSpan('second').end();
    timers.mockClear();
    await provider.forceFlush();
    const bySdk = timers.mock.calls.length;
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['first', 'second']);
    expect(bySdk - byShortcut, 'the SDK path arms its per-processor timer, the shortcut does not').toBe(1);
    await provider.shutdown();
  });

  it('leaves the provider to its own forceFlush when its timeout could fire first, or it is not the SDK one', () => {
    expect(flushSdkTracerProvider(new BasicTracerProvider({ forceFlushTimeoutMillis: 100 }), 100)).toBeUndefined();
    expect(flushSdkTracerProvider(new BasicTracerProvider({ forceFlushTimeoutMillis: 100 }), 99)).toBeDefined();
    class Custom extends BasicTracerProvider {
      override forceFlush(): Promise<void> {
        return super.forceFlush();
      }
    }
    expect(flushSdkTracerProvider(new Custom(), 10)).toBeUndefined();
    expect(flushSdkTracerProvider({ forceFlush: () => Promise.resolve() }, 10)).toBeUndefined();
    expect(flushSdkTracerProvider({}, 10)).toBeUndefined();
    const broken = new BasicTracerProvider();
    (broken as unknown as { _activeSpanProcessor: unknown })._activeSpanProcessor = {};
    expect(flushSdkTracerProvider(broken, 10)).toBeUndefined();
  });
});
