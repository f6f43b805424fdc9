// Nested wrappers of one invoke pass through even where the context does not carry the outer
// invocation (another copy of the library, no context manager): by request id, kept in the
// process state's slot for the one open invocation and in its shared Set beyond it.
import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { beforeEach, describe, expect, it } from 'vitest';
import { withFlush } from '../../../src/handler/with-flush.js';
import { processState } from '../../../src/state.js';
import { fakeContext } from '../../../src/testing/context.js';
import { memoryTracing, resetProcessState } from './helpers.js';

type H = (event: unknown, ctx: unknown) => Promise<unknown>;

describe('open request ids', () => {
  beforeEach(() => resetProcessState());

  it('an inner wrapper called outside the outer context, same request id: one span', async () => {
    const m = memoryTracing();
    const opts = { tracerProvider: m.provider, handleSigterm: false };
    const inner = withFlush(async () => 'inner', opts) as H;
    const outer = withFlush(async (event: unknown, ctx: unknown) => context.with(ROOT_CONTEXT, () => inner(event, ctx)), opts) as H;
    expect(await outer({}, fakeContext())).toBe('inner');
    expect(m.spans()).toHaveLength(1);
    // Nothing left marked once the invoke ended: the next invoke with the same id gets its span.
    const ctx = fakeContext();
    await outer({}, ctx);
    await inner({}, ctx);
    expect(m.spans()).toHaveLength(3);
    expect(processState().activeRequests.size).toBe(0);
    expect(processState().activeRequest).toBeUndefined();
  });

  it('with one invocation still open, another one and its nested wrapper are told apart by id', async () => {
    const m = memoryTracing();
    const opts = { tracerProvider: m.provider, handleSigterm: false };
    let release!: () => void;
    const stuck = withFlush(() => new Promise<string>((r) => (release = () => r('late'))), opts) as H;
    const first = stuck({}, fakeContext());
    const inner = withFlush(async () => 'inner', { ...opts }) as H;
    const outer = withFlush(async (event: unknown, ctx: unknown) => context.with(ROOT_CONTEXT, () => inner(event, ctx)), { ...opts }) as H;
    expect(await outer({}, fakeContext())).toBe('inner');
    expect(m.spans()).toHaveLength(1); // the outer one; the stuck one is still open
    release();
    expect(await first).toBe('late');
    expect(m.spans()).toHaveLength(2);
    expect(processState().activeRequests.size).toBe(0);
    expect(processState().activeRequest).toBeUndefined();
  });
});
