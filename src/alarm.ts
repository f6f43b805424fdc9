// One unref'd Node timer behind all of the library's per-invoke time limits (the deadline
// guard, the flush budget). Those are armed on every invoke and nearly always cancelled before
// they fire; a Node timer each would cost a timer-list insert and removal per invoke. Here a
// cancel only clears an entry, and the timer is re-armed only for a limit earlier than the one
// it is armed for. A timer firing with nothing due just re-arms (or stops): cheap, and rare.
// The entries live in an array used as a stack, not a Set: the common invoke arms a limit and
// cancels it before arming the next, so the top entry is the one cancelled and is popped
// (nothing allocated, nothing rehashed). Cancelled entries below live ones stay until they
// surface, a sweep (when too many pile up) or a fire.

interface Alarm {
  /** `performance.now()` time at which `fn` is due. */
  readonly at: number;
  /** Undefined once cancelled or fired. */
  fn: (() => void) | undefined;
}

/** Live and cancelled entries, in scheduling order; `alarms[0..count)` are in use. */
let alarms: Array<Alarm | undefined> = [];
let count = 0;
/** Entries in use not cancelled nor fired. */
let live = 0;
let timer: NodeJS.Timeout | undefined;
let armedAt = Number.POSITIVE_INFINITY;

/** Cancelled entries tolerated beyond the live ones before a sweep (keeps the array bounded). */
const SWEEP_SLACK = 32;

/**
 * Calls `fn` once, `delayMs` from now (never earlier), unless the returned function is called
 * first. Never keeps the process alive. `fn` must not throw (errors are dropped). `now`: a
 * `performance.now()` the caller just read (one clock read less), the delay counts from it.
 */
export function schedule(delayMs: number, fn: () => void, now?: number): () => void {
  const alarm: Alarm = { at: (now ?? performance.now()) + Math.max(0, delayMs), fn };
  alarms[count++] = alarm;
  live++;
  if (alarm.at < armedAt) arm(alarm.at);
  return () => cancel(alarm);
}

function cancel(alarm: Alarm): void {
  if (alarm.fn === undefined) return;
  alarm.fn = undefined;
  live--;
  // Pop the cancelled entries on top (slots cleared: a cancelled entry's callback is gone, but
  // the slot must not keep the entry alive either).
  while (count > 0 && alarms[count - 1]!.fn === undefined) alarms[--count] = undefined;
  if (count > 2 * live + SWEEP_SLACK) compact();
}

/** Keeps the live entries only, in order. */
function compact(): void {
  let n = 0;
  for (let i = 0; i < count; i++) {
    const a = alarms[i]!;
    if (a.fn !== undefined) alarms[n++] = a;
  }
  for (let i = n; i < count; i++) alarms[i] = undefined;
  count = n;
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
  const due: Array<() => void> = [];
  let next = Number.POSITIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    const alarm = alarms[i]!;
    const fn = alarm.fn;
    if (fn === undefined) continue;
    if (alarm.at <= now) {
      due.push(fn);
      alarm.fn = undefined;
      live--;
    } else if (alarm.at < next) next = alarm.at;
  }
  compact();
  if (alarms.length > 4 * SWEEP_SLACK && count < SWEEP_SLACK) alarms = alarms.slice(0, count); // give back a burst's slots
  if (next !== Number.POSITIVE_INFINITY) arm(next);
  for (const fn of due) {
    try {
      fn();
    } catch {
      // documented: callbacks do not throw; never let one stop the others
    }
  }
}
