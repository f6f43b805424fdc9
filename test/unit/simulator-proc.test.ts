// /proc reading and process-group signals, on a real child process.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { peakMemoryMb, procState, rssTreeMb, signalGroup, waitStopped } from '../../src/testing/simulator/proc.js';

describe('proc helpers', () => {
  it('stops and continues a detached process group, and sees it in /proc', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
    const pid = child.pid!;
    const exited = new Promise((r) => child.once('exit', r));
    try {
      expect(['R', 'S']).toContain(procState(pid));
      expect(signalGroup(pid, 'SIGSTOP')).toBe(true);
      expect(await waitStopped(pid)).toBe(true);
      expect(procState(pid)).toBe('T');
      expect(signalGroup(pid, 'SIGCONT')).toBe(true);
      expect(await waitStopped(pid, 50)).toBe(false);
      expect(peakMemoryMb(pid)).toBeGreaterThan(1);
    } finally {
      signalGroup(pid, 'SIGKILL');
      await exited;
    }
    expect(procState(pid)).toBeUndefined();
    expect(signalGroup(pid, 'SIGKILL')).toBe(false);
  });

  it('rssTreeMb counts the children of a process too', async () => {
    // A parent that starts a child holding 96 MB of touched memory.
    const script = `require('node:child_process').spawn(process.execPath, ['-e', 'globalThis.b = Buffer.alloc(96 * 1024 * 1024, 1); console.log("ready"); setInterval(() => {}, 1000)'], { stdio: ['ignore', 'inherit', 'ignore'] }); setInterval(() => {}, 1000)`;
    const parent = spawn(process.execPath, ['-e', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    const pid = parent.pid!;
    try {
      await new Promise((r) => parent.stdout!.once('data', r));
      const own = peakMemoryMb(pid)!;
      expect(rssTreeMb(pid)).toBeGreaterThan(own + 90);
    } finally {
      signalGroup(pid, 'SIGKILL');
    }
    expect(rssTreeMb(2 ** 22 + 12345)).toBeUndefined();
  });
});
