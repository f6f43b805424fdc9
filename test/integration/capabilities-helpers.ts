// Shared bits of the capabilities tests: the fixture folder and a receiver + simulator pair on it.
import { fileURLToPath } from 'node:url';
import type { SimulatorOptions } from '../../src/testing/index.js';
import { startPair } from './core-helpers.js';

export const capabilityFixtures = fileURLToPath(new URL('../fixtures/capabilities/', import.meta.url));

/** startPair on test/fixtures/capabilities (traces on; metrics and logs off unless `env` turns them on). */
export function startCapability(handler: string, opts: Partial<SimulatorOptions> & { env?: Record<string, string> } = {}): ReturnType<typeof startPair> {
  return startPair(handler, { taskRoot: capabilityFixtures, ...opts });
}

/** A flush outcome as the fixtures print it (`FLUSH-OUTCOME {json}`), the error reduced to a flag. */
export interface LoggedOutcome {
  reason: string;
  status: string;
  budgetMs: number;
  durationMs: number;
  signals: Record<string, string>;
  hasError: boolean;
}

const MARK = 'FLUSH-OUTCOME ';

/** The flush outcomes the function printed, in order. */
export function flushOutcomes(logs: readonly string[]): LoggedOutcome[] {
  return logs.flatMap((line) => {
    const at = line.indexOf(MARK);
    return at < 0 ? [] : [JSON.parse(line.slice(at + MARK.length)) as LoggedOutcome];
  });
}
