// Process control through signals and /proc: freeze like Lambda (SIGSTOP of the whole group),
// verify the stop, read peak memory.
import { readdirSync, readFileSync } from 'node:fs';

const live = new Set<number>();
let exitHookInstalled = false;

/** Remembers a detached process group so it is killed if this process exits first. */
export function trackGroup(pid: number): void {
  live.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const p of live) signalGroup(p, 'SIGKILL');
  });
}

/** Forgets a process group that has exited. */
export function untrackGroup(pid: number): void {
  live.delete(pid);
}

/** Sends a signal to a whole process group; false when it is gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** The state letter of /proc/<pid>/stat (R, S, D, T, t, Z, ...), or undefined when gone. */
export function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may contain spaces and parentheses: the state follows the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) || undefined;
  } catch {
    return undefined;
  }
}

/** Polls until the process shows a stopped state, for at most `timeoutMs`. */
export async function waitStopped(pid: number, timeoutMs = 2000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const state = procState(pid);
    if (state === 'T' || state === 't') return true;
    if (state === undefined || Date.now() >= end) return false;
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** Peak resident memory (VmHWM) in MB, rounded up; undefined when unreadable. */
export function peakMemoryMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1]);
    return Number.isFinite(kb) && kb > 0 ? Math.ceil(kb / 1024) : undefined;
  } catch {
    return undefined;
  }
}

const TREE_LIMIT = 256;

function vmRssKb(pid: number): number {
  try {
    const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return Number.isFinite(kb) ? kb : 0;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text) for (const c of text.split(/\s+/)) out.push(Number(c));
    }
  } catch {
    // gone, or no children file: count the process alone
  }
  return out;
}

/** Resident memory (VmRSS) of a process and its descendants in MB; undefined when it is gone. */
export function rssTreeMb(pid: number): number | undefined {
  const own = vmRssKb(pid);
  if (own === 0) return undefined;
  let kb = own;
  const queue = childrenOf(pid);
  for (let seen = 0; queue.length > 0 && seen < TREE_LIMIT; seen++) {
    const child = queue.shift()!;
    kb += vmRssKb(child);
    queue.push(...childrenOf(child));
  }
  return kb / 1024;
}
