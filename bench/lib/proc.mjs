// Reads a process's memory figures from /proc/<pid>/status (Linux). Works on a stopped
// (SIGSTOPped) process too, which is when the simulator's onFreeze runs.
import { readFileSync } from 'node:fs';

/** @returns {{ vmHwmKb?: number, vmRssKb?: number }} */
export function readMemory(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return {};
  }
  const field = (name) => {
    const m = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    return m ? Number(m[1]) : undefined;
  };
  return { vmHwmKb: field('VmHWM'), vmRssKb: field('VmRSS') };
}
