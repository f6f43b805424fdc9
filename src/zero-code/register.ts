// `node --import otel-lambda-flush/register`: providers from OTEL_* before the entry module
// runs. Node runs --import preloads on the main thread only, not in worker threads (there the
// zero-code handler module or the function's own wrapper joins).
// The extension is not registered here although this preload may await: NODE_OPTIONS reaches
// every Node process the function starts too, and a child process must not register an
// extension. The function's module registers it (from this thread when it awaits setupTelemetry()).
import { register } from './preload.js';

await register();
