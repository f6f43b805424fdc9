// Entry of the extension's core as one self-contained CommonJS script (scripts/worker-source.mjs),
// which the library carries as a string. Started with `new Worker(source, { eval: true })`, it
// wires the core (core.ts) to the worker's MessagePort and the shared slots the loading thread
// waits on. Evaluated on the main thread instead (hosts.ts, with `__OLF_IN_PROCESS__` set), it
// only exports the core: the main bundle carries the protocol once, as this string.
import { workerThreads } from './builtins.js';
import { ExtensionCore } from './core.js';
import type { FromWorker, ToWorker, WorkerData } from './protocol.js';

declare const __OLF_IN_PROCESS__: unknown;

if (typeof __OLF_IN_PROCESS__ === 'undefined') {
  const { parentPort, workerData } = workerThreads();
  const data = workerData as WorkerData;
  const core = new ExtensionCore(new Int32Array(data.shared), (m: FromWorker) => parentPort?.postMessage(m), data.prepare);
  parentPort?.on('message', (msg: ToWorker) => core.receive(msg));
}

export { ExtensionCore };
