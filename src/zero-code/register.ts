// `node --import otel-lambda-flush/register`: providers from OTEL_* before the entry module
// runs. Node runs --import preloads on the main thread only, not in worker threads (there the
// zero-code handler module or the function's own wrapper joins).
import { register } from './preload.js';

await register();
