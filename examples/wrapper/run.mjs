// Runs examples/wrapper/index.mjs in the local Lambda simulator and prints the spans the OTLP
// receiver got (the last invoke throws: its span has status ERROR).
import { fileURLToPath } from 'node:url';
import { runInSimulator } from '../run-in-simulator.mjs';

await runInSimulator({
  taskRoot: fileURLToPath(new URL('.', import.meta.url)),
  functionName: 'example-wrapper',
  events: [{ items: [1, 2, 3] }, { items: [10] }, { items: [-5] }],
});
