// Runs examples/middy/index.mjs in the local Lambda simulator and prints the spans the OTLP
// receiver got (the `warmup` event is answered early by another middleware: still one span).
import { fileURLToPath } from 'node:url';
import { runInSimulator } from '../run-in-simulator.mjs';

await runInSimulator({
  taskRoot: fileURLToPath(new URL('.', import.meta.url)),
  functionName: 'example-middy',
  events: [{ name: 'Ada' }, { warmup: true }, { name: 'Grace' }],
});
