// The peer's handler is the bare one: @opentelemetry/instrumentation-aws-lambda patches it
// from the outside (see otel-setup.mjs, loaded with NODE_OPTIONS).
import { memoryProbe } from '../probe.mjs';

export const handler = async (event) => memoryProbe(event) ?? { ok: true };
