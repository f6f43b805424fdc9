// Lambda Managed Instances mode: the real runtime client in its multi-concurrent mode (worker
// threads), concurrent dispatch up to maxConcurrency, no freeze, INVOKE registration refused,
// the log socket, SIGTERM at shutdown for an `events: []` extension.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LambdaSimulator, type InvokeResult } from '../../src/testing/index.js';

const taskRoot = fileURLToPath(new URL('../fixtures/sim', import.meta.url));
const preload = fileURLToPath(new URL('../fixtures/sim/main-sigterm.cjs', import.meta.url));
const sims: LambdaSimulator[] = [];

afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

interface Answer {
  i: number;
  requestId: string;
  storeRequestId: string;
  threadId: number;
  start: number;
  end: number;
}

/** Most handler runs that overlapped at one moment. */
function maxOverlap(answers: Answer[]): number {
  const edges = answers.flatMap((a) => [[a.start, 1], [a.end, -1]] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let now = 0;
  let max = 0;
  for (const [, d] of edges) max = Math.max(max, (now += d));
  return max;
}

describe('Managed Instances mode', () => {
  it('runs 64 concurrent invokes on 4 runtime worker threads, each with its own result', async () => {
    const sim = await LambdaSimulator.start({
      taskRoot,
      handler: 'managed.handler',
      managedInstances: { maxConcurrency: 64, workerCount: 4 },
      env: { MI_EXT: '1', NODE_OPTIONS: `--require ${preload}` },
      timeoutMs: 10_000,
      shutdownGraceMs: 2000,
    });
    sims.push(sim);
    // INVOKE refused the way Lambda does; `events: []` accepted (once: the other threads get 409).
    expect(sim.logs.some((l) => l.includes('mi-invoke-ext registration 403') && l.includes('Extension.InvalidEventType'))).toBe(true);
    expect(sim.extensions).toEqual([{ name: 'mi-ext', id: expect.any(String), events: [], internal: true }]);

    const results: InvokeResult[] = await Promise.all(Array.from({ length: 64 }, (_, i) => sim.invoke({ i, ms: 50 + (i % 7) * 10 })));
    const answers = results.map((r) => r.response as Answer);
    results.forEach((r, i) => {
      expect(r.status).toBe('success');
      expect(r.frozen).toBe(false);
      expect(answers[i]!.i).toBe(i);
      expect(answers[i]!.requestId).toBe(r.requestId);
      expect(answers[i]!.storeRequestId).toBe(r.requestId); // the client's InvokeStore, per invoke
    });
    expect(new Set(results.map((r) => r.requestId)).size).toBe(64);
    expect(results.filter((r) => r.coldStart)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.threadId)).size).toBeGreaterThan(1);
    expect(maxOverlap(answers)).toBeGreaterThan(8);
    expect(sim.processState()).not.toBe('T');

    // Per-invoke platform events, and the worker threads' logs through the log socket.
    const reports = sim.telemetry.emitted.filter((e) => e.type === 'platform.report').map((e) => (e.record as { requestId: string; status: string }));
    expect(reports.filter((r) => r.status === 'success').map((r) => r.requestId).sort()).toEqual(results.map((r) => r.requestId).sort());
    const runtimeDone = sim.telemetry.emitted.filter((e) => e.type === 'platform.runtimeDone');
    expect(runtimeDone).toHaveLength(64);
    const logLine = sim.logs.find((l) => l.includes('invoke 5 done'));
    expect(JSON.parse(logLine!)).toMatchObject({ requestId: results[5]!.requestId });

    // A registered extension: SIGTERM to the process (its main thread) at shutdown.
    const s = await sim.shutdown();
    expect(s.signal).toBe('SIGTERM');
    expect(s.exitedWithinGrace).toBe(true);
    expect(sim.logs).toContain('main-thread SIGTERM');
  });

  it('queues invokes beyond maxConcurrency', async () => {
    const sim = await LambdaSimulator.start({ taskRoot, handler: 'managed.handler', managedInstances: { maxConcurrency: 3, workerCount: 2 }, timeoutMs: 1000 });
    sims.push(sim);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => sim.invoke({ i, ms: 150 })));
    expect(results.every((r) => r.status === 'success')).toBe(true);
    const answers = results.map((r) => r.response as Answer);
    expect(maxOverlap(answers)).toBeLessThanOrEqual(3);
    expect(maxOverlap(answers)).toBeGreaterThanOrEqual(2);

    // A timeout fails that invoke only: the environment is not reset, the others carry on.
    const pid = sim.pid;
    const [slow, fast] = await Promise.all([sim.invoke({ i: 100, ms: 1500 }), sim.invoke({ i: 101, ms: 10 })]);
    expect(slow).toMatchObject({ status: 'timeout', error: { errorType: 'Sandbox.Timedout' } });
    expect(fast.status).toBe('success');
    await new Promise((r) => setTimeout(r, 700)); // the timed-out handler answers late: refused, harmlessly
    const after = await sim.invoke({ i: 102 });
    expect(after).toMatchObject({ status: 'success', coldStart: false });
    expect(sim.pid).toBe(pid);
    // No extension registered: SIGKILL at once.
    expect((await sim.shutdown()).signal).toBe('SIGKILL');
  });

  it('refuses freeze: true and bad managedInstances values', async () => {
    await expect(LambdaSimulator.start({ taskRoot, handler: 'managed.handler', managedInstances: {}, freeze: true })).rejects.toThrow(/never frozen/);
    await expect(LambdaSimulator.start({ taskRoot, handler: 'managed.handler', managedInstances: { workerCount: 0 } })).rejects.toThrow(/workerCount/);
  });
});
