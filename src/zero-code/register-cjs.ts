// `node --require otel-lambda-flush/register`: providers from OTEL_* before the entry module
// runs. setupTelemetry() registers them before it returns, so nothing needs to wait here. Node
// also runs --require preloads in worker threads (Lambda Managed Instances run handlers there).
import { register } from './preload.js';

void register();
