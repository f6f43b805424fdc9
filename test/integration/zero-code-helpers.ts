// Shared by the zero-code integration tests: paths, the built package check, and a receiver +
// simulator pair started the way Lambda starts a function with AWS_LAMBDA_EXEC_WRAPPER.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LambdaSimulator, OtlpReceiver, type ReceivedSpan, type SimulatorOptions } from '../../src/testing/index.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const zeroFixtures = fileURLToPath(new URL('../fixtures/zero-code/', import.meta.url));
/** The wrapper as shipped in the package (`bin`), run from the repository. */
export const wrapperPath = `${repoRoot}bin/otel-lambda-flush-wrapper`;

/** The wrapper runs the built package (dist/): fail clearly when it was not built. */
export function requireBuild(): void {
  for (const f of ['dist/esm/zero-code/handler.js', 'dist/esm/zero-code/register.js', 'dist/cjs/zero-code/register.cjs']) {
    if (!existsSync(`${repoRoot}${f}`)) throw new Error(`${f} is missing: run \`npm run build\` before the zero-code tests`);
  }
}

export interface Pair {
  rx: OtlpReceiver;
  sim: LambdaSimulator;
  /** Spans at the receiver when each invoke's process was frozen, by request id. */
  atFreeze: Map<string, ReceivedSpan[]>;
  close(): Promise<void>;
}

/** Receiver + simulator; `execWrapper` defaults to the package's wrapper (pass `undefined` explicitly for none). */
export async function startZeroCode(opts: Partial<SimulatorOptions> & Pick<SimulatorOptions, 'taskRoot' | 'handler'>): Promise<Pair> {
  const rx = await OtlpReceiver.start();
  const atFreeze = new Map<string, ReceivedSpan[]>();
  try {
    const sim = await LambdaSimulator.start({
      execWrapper: wrapperPath,
      ...opts,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: rx.url,
        OTEL_LOGS_EXPORTER: 'none',
        // Only the flush exports: the processors' own timers never fire during a test.
        OTEL_BSP_SCHEDULE_DELAY: '600000',
        OTEL_METRIC_EXPORT_INTERVAL: '600000',
        ...opts.env,
      },
      onFreeze: ({ requestId }) => {
        atFreeze.set(requestId, rx.spans());
      },
    });
    return {
      rx,
      sim,
      atFreeze,
      close: async () => {
        await sim.close();
        await rx.close();
      },
    };
  } catch (e) {
    await rx.close();
    throw e;
  }
}

/** The invocation span of `requestId` and the handler's own child of it, among `spans`. */
export function invocationAndChild(spans: ReceivedSpan[], requestId: string, childName = 'handler-child'): { invocation?: ReceivedSpan; child?: ReceivedSpan } {
  const invocation = spans.find((s) => s.attributes['faas.invocation_id'] === requestId);
  const child = invocation && spans.find((s) => s.name === childName && s.parentSpanId === invocation.spanId && s.traceId === invocation.traceId);
  return { invocation, child };
}
