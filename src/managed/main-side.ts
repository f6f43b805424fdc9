// Lambda Managed Instances, the main thread's part (the register preload puts it there, before
// the runtime client starts its worker threads): know which worker threads loaded the library,
// and at SIGTERM (which reaches the main thread only) tell them all to flush and shut down, and
// wait for their answers, bounded by the budget the shutdown gives it.
import { slot as extensionSlot } from '../extension/slot.js';
import { processState } from '../state.js';
import { openChannel } from '../threads.js';

/** Worker threads remembered (far above any worker count the runtime client starts). */
const MAX_WORKERS = 4096;
/** Time kept for the answers to travel back, in ms. */
export const ACK_MARGIN_MS = 25;

interface MainSlot {
  coordinating?: boolean;
  /** Worker threads that said hello. */
  workers?: Set<number>;
}

/** The worker threads that said hello so far (tests, diagnostics). */
export function knownWorkers(): ReadonlySet<number> {
  return (processState().managed as MainSlot).workers ?? new Set();
}

/** Starts the coordination once per process, on the main thread. */
export function coordinateWorkers(): void {
  const state = processState();
  const s = state.managed as MainSlot;
  if (s.coordinating) return;
  s.coordinating = true;
  const workers = (s.workers = new Set<number>());
  const acks = new Set<number>();
  let allAnswered: (() => void) | undefined;
  const channel = openChannel((m) => {
    if (m.t === 'hello') {
      if (workers.size < MAX_WORKERS) workers.add(m.thread);
      channel.post({ t: 'main' });
    } else if (m.t === 'ended') {
      // The platform events of these invokes count (the guard drops reports of unknown ids).
      const { platform, bridge } = extensionSlot();
      if (platform) for (const id of m.ids) platform.invocationEnded(undefined, id);
      if (bridge) for (const id of m.ids) bridge.invocationEnded(id); // its report is waited for at SIGTERM
    } else if (m.t === 'ack') {
      acks.add(m.thread);
      if (allAnswered && [...workers].every((w) => acks.has(w))) allAnswered();
    }
  });
  channel.post({ t: 'main' });
  state.threadShutdown = (budgetMs) =>
    new Promise<void>((resolve) => {
      if (workers.size === 0) return resolve();
      const timer = setTimeout(resolve, Math.max(0, budgetMs));
      timer.unref?.();
      allAnswered = () => {
        clearTimeout(timer);
        resolve();
      };
      channel.post({ t: 'shutdown', budgetMs: Math.max(0, budgetMs - ACK_MARGIN_MS) });
    });
}
