// Baseline: a no-op handler with no telemetry at all (plus the bench's memory probe).
import { memoryProbe } from '../probe.mjs';

export const handler = async (event) => memoryProbe(event) ?? { ok: true };
