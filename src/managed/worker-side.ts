// Lambda Managed Instances, a runtime worker thread's part: say hello to the main thread, and on
// its word (SIGTERM reached it) flush and shut this thread's providers down, then answer.
// When no main-thread part answers, warn once: SIGTERM is then seen by nobody, and what the
// background export has not sent yet when the environment ends is lost.
import { warnOnce } from '../config/warnings.js';
import { runShutdown } from '../shutdown.js';
import { processState } from '../state.js';
import { MAX_ENDED_IDS, openChannel, type ManagedMessage } from '../threads.js';
import { workerThreads } from '../worker-threads.js';

/** How long a worker thread waits for the main thread's answer before it warns, in ms. */
export const MAIN_ANSWER_WAIT_MS = 2000;

/** Peer threads remembered for the once-per-environment warning. */
const MAX_PEERS = 4096;

interface WorkerSlot {
  joined?: boolean;
  mainSeen?: boolean;
  /** Request ids ended since the last `ended` message (bounded by MAX_ENDED_IDS). */
  ended?: string[];
  post?: (m: ManagedMessage) => void;
}

function slot(): WorkerSlot {
  return processState().managed as WorkerSlot;
}

/**
 * Joins the coordination once per thread. `lossBoundMs`: the longest telemetry waits in this
 * thread before the background export sends it, for the warning.
 */
export function joinAsRuntimeWorker(lossBoundMs: number): void {
  const s = slot();
  if (s.joined) return;
  s.joined = true;
  const threadId = workerThreads().threadId;
  // Worker threads hear each other's hellos: only the lowest thread id warns, once per environment.
  const peers = new Set<number>();
  const channel = openChannel((m) => {
    if (m.t === 'hello') {
      // A thread that opened its channel after our hello has not heard it: say it again, once per new peer.
      if (!peers.has(m.thread) && peers.size < MAX_PEERS) {
        peers.add(m.thread);
        channel.post({ t: 'hello', thread: threadId });
      }
    } else if (m.t === 'main') s.mainSeen = true;
    else if (m.t === 'shutdown') {
      s.mainSeen = true;
      void runShutdown(m.budgetMs).then(
        () => channel.post({ t: 'ack', thread: threadId }),
        () => channel.post({ t: 'ack', thread: threadId }),
      );
    }
  });
  channel.post({ t: 'hello', thread: threadId });
  s.post = (m) => channel.post(m);
  const timer = setTimeout(() => {
    if (s.mainSeen || [...peers].some((p) => p < threadId)) return;
    warnOnce(
      'managed-no-main-thread',
      'Lambda Managed Instances: nothing of otel-lambda-flush runs on the runtime\'s main thread, where SIGTERM arrives; ' +
        `what has not been exported when the environment ends (at most the last ~${lossBoundMs} ms of telemetry) is lost. ` +
        'Preload it there: NODE_OPTIONS="--require otel-lambda-flush/register", or the zero-code wrapper (AWS_LAMBDA_EXEC_WRAPPER)',
    );
  }, MAIN_ANSWER_WAIT_MS);
  timer.unref?.();
}

/**
 * An invoke ended in this thread: tell the main thread (where the Telemetry API's platform
 * events arrive and only invokes this environment handled are counted). Ids are batched per
 * event-loop turn, at most MAX_ENDED_IDS a message.
 */
export function reportEnded(requestId: string): void {
  const s = slot();
  if (!s.post || requestId === '') return;
  const batch = (s.ended ??= []);
  batch.push(requestId);
  if (batch.length >= MAX_ENDED_IDS) sendEnded(s);
  else if (batch.length === 1) setImmediate(() => sendEnded(s));
}

function sendEnded(s: WorkerSlot): void {
  const ids = s.ended;
  s.ended = [];
  if (ids && ids.length > 0) s.post?.({ t: 'ended', ids });
}
