// `node --import otel-lambda-flush/register`: providers from OTEL_* before the entry module
// runs. Node waits for this module's top-level await, so the providers are registered by then.
import { register } from './preload.js';

await register();
