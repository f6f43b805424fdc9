// Only the library's import and wrapper, no setupTelemetry(): splits the library's cold-start
// cost into "import otel-lambda-flush" and "setupTelemetry()" (used by the profile step).
import { withFlush } from 'otel-lambda-flush';

export const handler = withFlush(async () => ({ ok: true }));
