// Baseline: a no-op handler with no telemetry at all.
export const handler = async () => ({ ok: true });
