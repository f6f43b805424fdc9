// Shared setup for the core's integration tests: a receiver and a simulator on a fixture.
import { fileURLToPath } from 'node:url';
import { LambdaSimulator, OtlpReceiver, type ReceivedSpan, type SimulatorOptions } from '../../src/testing/index.js';

export const coreFixtures = fileURLToPath(new URL('../fixtures/core/', import.meta.url));

/**
 * Receiver delay for the "nothing lost at the freeze" tests: each export is answered (and
 * recorded) this late, so a flush the wrapper started but did not await before returning is
 * still on the wire when the process freezes, and the snapshot at the freeze misses it.
 */
export const FREEZE_RECEIVER_DELAY_MS = 40;

export async function startPair(
  handler: string,
  opts: Partial<SimulatorOptions> & { env?: Record<string, string> } = {},
): Promise<{ rx: OtlpReceiver; sim: LambdaSimulator; close: () => Promise<void> }> {
  const rx = await OtlpReceiver.start();
  let sim: LambdaSimulator;
  try {
    sim = await LambdaSimulator.start({
      taskRoot: coreFixtures,
      handler,
      ...opts,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', ...opts.env },
    });
  } catch (e) {
    await rx.close();
    throw e;
  }
  return {
    rx,
    sim,
    close: async () => {
      await sim.close();
      await rx.close();
    },
  };
}

export function invocationSpan(spans: ReceivedSpan[], requestId: string): ReceivedSpan | undefined {
  return spans.find((s) => s.attributes['faas.invocation_id'] === requestId);
}
