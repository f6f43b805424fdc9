// node:worker_threads, loaded when the extension worker is booted rather than when the library
// is imported: it brings Node's stream and worker internals (a few ms of every cold start,
// extension or not).
import { createRequire } from 'node:module';

type WorkerThreads = typeof import('node:worker_threads');

/** The node:worker_threads module, loaded at the first call. */
export function workerThreads(): WorkerThreads {
  // process.getBuiltinModule: Node >= 20.16 / 22.3; a require made here serves older ones.
  return process.getBuiltinModule?.('node:worker_threads') ?? (createRequire(`${process.cwd()}/`)('node:worker_threads') as WorkerThreads);
}
