// `node --require otel-lambda-flush/register`: providers from OTEL_* before the entry module
// runs. CommonJS cannot wait, so the SDK finishes loading in the background; the first
// invoke of a wrapped handler waits for it.
import { register } from './preload.js';

void register();
