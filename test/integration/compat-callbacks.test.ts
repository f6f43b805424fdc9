// Callback-style (3-parameter) and promise handlers wrapped with withFlush under the real runtime
// client (aws-lambda-ric 4) on Node 22 and Node 24: the runtime accepts the wrapper, results and
// errors reach it unchanged (compared with the promise equivalent run bare), and the span is at
// the receiver before the freeze.
//
// aws-lambda-ric 4 rejects every handler whose `length` is >= 3 (Runtime.CallbackHandlerDeprecated)
// whatever the Node version; the managed nodejs22.x runtime (an older client) still accepts them.
// The unwrapped 3-parameter handler is therefore rejected here on both versions, and the baseline
// for "unchanged" is the promise twin: callback(null, x) ≡ return x, callback(err) ≡ throw err.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LambdaSimulator, LambdaSimulatorError, OtlpReceiver, type InvokeResult, type ReceivedSpan } from '../../src/testing/index.js';
import { compatFixtures, nodeBinary, type NodeMajor } from '../fixtures/compat/nodes.js';

const EVENTS = [
  { mode: 'ok', n: 1 },
  { mode: 'error', n: 3 },
  { mode: 'error-string', n: 4 },
] as const;

interface Run {
  results: InvokeResult[];
  /** Spans at the receiver when the process froze after each invoke, by request id. */
  atFreeze: Map<string, ReceivedSpan[]>;
}

const open: { close: () => Promise<void> }[] = [];
afterAll(async () => {
  for (const o of open) await o.close().catch(() => undefined);
});

async function start(major: NodeMajor, handler: string): Promise<{ sim: LambdaSimulator; rx: OtlpReceiver; atFreeze: Map<string, ReceivedSpan[]> }> {
  const rx = await OtlpReceiver.start();
  open.push(rx);
  const atFreeze = new Map<string, ReceivedSpan[]>();
  const sim = await LambdaSimulator.start({
    taskRoot: compatFixtures,
    handler: `callback.${handler}`,
    nodeBinary: nodeBinary(major),
    env: {
      AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${major}.x`,
      OTEL_EXPORTER_OTLP_ENDPOINT: rx.url,
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      OTEL_BSP_SCHEDULE_DELAY: '600000',
    },
    onFreeze: ({ requestId }) => {
      atFreeze.set(requestId, rx.spans());
    },
  });
  open.push(sim);
  return { sim, rx, atFreeze };
}

async function invokeAll(major: NodeMajor, handler: string): Promise<Run> {
  const { sim, atFreeze } = await start(major, handler);
  const results: InvokeResult[] = [];
  for (const event of EVENTS) results.push(await sim.invoke(event));
  await sim.close();
  return { results, atFreeze };
}

/** What the runtime reported, without what differs between any two runs (ids, timings, stacks). */
function verdict(r: InvokeResult): unknown {
  return { status: r.status, response: r.response, errorType: r.error?.errorType, errorMessage: r.error?.errorMessage, frozen: r.frozen };
}

function expectSpansBeforeFreeze(run: Run): void {
  for (const [i, r] of run.results.entries()) {
    const span = run.atFreeze.get(r.requestId)?.find((s) => s.attributes['faas.invocation_id'] === r.requestId);
    expect(span, `span of ${JSON.stringify(EVENTS[i])} at the receiver before the freeze`).toBeDefined();
    expect(span!.status.code).toBe(r.status === 'error' ? 'error' : 'unset');
  }
}

async function initError(major: NodeMajor, handler: string): Promise<unknown> {
  return start(major, handler).then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe.each([22, 24] as const)('Node %i, aws-lambda-ric 4', (major) => {
  let baseline: Run;
  beforeAll(async () => {
    baseline = await invokeAll(major, 'promiseBare');
  });

  it('the unwrapped 3-parameter handler is refused at init (Runtime.CallbackHandlerDeprecated)', async () => {
    const error = await initError(major, 'bare');
    expect(error).toBeInstanceOf(LambdaSimulatorError);
    expect((error as LambdaSimulatorError).errorType).toBe('Runtime.CallbackHandlerDeprecated');
  });

  it('baseline: the bare promise twin answers, throws QuotaExceeded, throws a string', () => {
    expect(baseline.results.map(verdict)).toEqual([
      { status: 'success', response: { via: 'handler', n: 1 }, errorType: undefined, errorMessage: undefined, frozen: true },
      { status: 'error', response: undefined, errorType: 'QuotaExceeded', errorMessage: 'quota 3 of 2 used', frozen: true },
      expect.objectContaining({ status: 'error', response: undefined, frozen: true }),
    ]);
  });

  // Needs a wrapper of length <= 2 wherever aws-lambda-ric 4 runs the handler, Node 22 included
  // (it marks itself by setting globalThis.awslambda.InvokeStore before loading the handler).
  it('withFlush(callback handler) is accepted: callback(null, x) and callback(err) reach the runtime unchanged, spans before the freeze', async () => {
    const wrapped = await invokeAll(major, 'wrapped');
    expect(wrapped.results.map(verdict)).toEqual(baseline.results.map(verdict));
    expectSpansBeforeFreeze(wrapped);
  });

  it('withFlush(async 2-parameter handler) is accepted, results unchanged, spans before the freeze', async () => {
    const wrapped = await invokeAll(major, 'promiseWrapped');
    expect(wrapped.results.map(verdict)).toEqual(baseline.results.map(verdict));
    expectSpansBeforeFreeze(wrapped);
  });
});
