// One unref'd Node timer behind all of the library's per-invoke time limits (the deadline
// guard, the flush budget). Those are armed on every invoke and nearly always cancelled before
// they fire; a Node timer each would cost a timer-list insert and removal per invoke. Here a
// cancel only drops an entry, and the timer is re-armed only for a limit earlier than the one
// it is armed for. A timer firing with nothing due just re-arms (or stops): cheap, and rare.

interface Alarm {
  /** `performance.now()` time at which `fn` is due. */
  readonly at: number;
  readonly fn: () => void;
}

const alarms = new Set<Alarm>();
let timer: NodeJS.Timeout | undefined;
let armedAt = Number.POSITIVE_INFINITY;

/**
 * Calls `fn` once, `delayMs` from now (never earlier), unless the returned function is called
 * first. Never keeps the process alive. `fn` must not throw (errors are dropped).
 */
export function schedule(delayMs: number, fn: () => void): () => void {
  const alarm: Alarm = { at: performance.now() + Math.max(0, delayMs), fn };
  alarms.add(alarm);
  if (alarm.at < armedAt) arm(alarm.at);
  return () => {
    alarms.delete(alarm);
  };
}

function arm(at: number): void {
  if (timer !== undefined) clearTimeout(timer);
  armedAt = at;
  timer = setTimeout(fire, Math.max(0, Math.ceil(at - performance.now())));
  timer.unref?.();
}

function fire(): void {
  timer = undefined;
  armedAt = Number.POSITIVE_INFINITY;
  // Node may fire a timer up to a loop turn early by performance.now(): what is not due yet
  // is re-armed, so nothing runs before its time.
  const now = performance.now();
  const due: Alarm[] = [];
  let next = Number.POSITIVE_INFINITY;
  for (const alarm of alarms) {
    if (alarm.at <= now) {
      due.push(alarm);
      alarms.delete(alarm);
    } else if (alarm.at < next) next = alarm.at;
  }
  if (next !== Number.POSITIVE_INFINITY) arm(next);
  for (const alarm of due) {
    try {
      alarm.fn();
    } catch {
      // documented: callbacks do not throw; never let one stop the others
    }
  }
}
