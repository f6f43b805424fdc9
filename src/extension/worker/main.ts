// Entry of the extension worker thread: the extension's core (core.ts) over the worker's
// MessagePort and the shared slots the loading thread waits on. Bundled into one script
// (scripts/worker-source.mjs) and started with `new Worker(source, { eval: true })`.
import { parentPort, workerData } from 'node:worker_threads';
import { ExtensionCore } from './core.js';
import type { FromWorker, ToWorker, WorkerData } from './protocol.js';

const data = workerData as WorkerData;
const core = new ExtensionCore(new Int32Array(data.shared), (m: FromWorker) => parentPort?.postMessage(m), data.prepare);
parentPort?.on('message', (msg: ToWorker) => core.receive(msg));
