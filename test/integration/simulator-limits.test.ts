// Limits the simulator enforces like Lambda: memorySizeMb (the process is killed past it), and
// events that cannot be serialized (refused before anything reaches the environment).
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LambdaSimulator } from '../../src/testing/index.js';

const taskRoot = fileURLToPath(new URL('../fixtures/sim', import.meta.url));
const sims: LambdaSimulator[] = [];

async function start(extra: Partial<Parameters<typeof LambdaSimulator.start>[0]> = {}): Promise<LambdaSimulator> {
  const sim = await LambdaSimulator.start({ taskRoot, handler: 'basic.handler', ...extra });
  sims.push(sim);
  return sim;
}

afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

describe('memorySizeMb', () => {
  it('kills the process past the limit: Runtime.OutOfMemory, then a cold start', async () => {
    const sim = await start({ memorySizeMb: 160, timeoutMs: 10_000 });
    const first = await sim.invoke({});
    const pid = sim.pid;
    const oom = await sim.invoke({ action: 'alloc', chunks: 64, chunkMb: 16 }); // 1 GB if never stopped
    expect(oom.status).toBe('error');
    expect(oom.error).toMatchObject({ errorType: 'Runtime.OutOfMemory', errorMessage: expect.stringContaining(oom.requestId) });
    expect(oom.coldStart).toBe(false);
    expect(sim.logs.some((l) => /memory \d+ MB exceeds memorySizeMb 160/.test(l))).toBe(true);
    const report = sim.telemetry.emitted.find((e) => e.type === 'platform.report' && (e.record as { requestId: string }).requestId === oom.requestId);
    expect(report?.record).toMatchObject({ status: 'error', errorType: 'Runtime.OutOfMemory' });

    const next = await sim.invoke({});
    expect(next.status).toBe('success');
    expect(next.coldStart).toBe(true);
    expect(sim.pid).not.toBe(pid);
    expect(first.status).toBe('success');
  });

  it('node gets the flags Lambda\'s bootstrap gives it: GC exposed, header size, heap sized from the memory', async () => {
    const small = await start({ memorySizeMb: 128 });
    const r = (await small.invoke({ action: 'node' })).response as { execArgv: string[]; gc: string; heapLimitMb: number };
    expect(r.execArgv).toEqual(['--expose-gc', '--max-http-header-size', '81920', '--max-semi-space-size=6', '--max-old-space-size=116']);
    expect(r.gc).toBe('function');
    const big = await start({ memorySizeMb: 1024 });
    const b = (await big.invoke({ action: 'node' })).response as { execArgv: string[]; heapLimitMb: number };
    expect(b.execArgv).toContain('--max-old-space-size=922');
    expect(b.heapLimitMb).toBeGreaterThan(r.heapLimitMb);
  });

  it('an allocation within the limit succeeds; enforceMemory: false lets the process grow past it', async () => {
    const sim = await start({ memorySizeMb: 256 });
    expect((await sim.invoke({ action: 'alloc', chunks: 2, chunkMb: 16 })).status).toBe('success');
    const lax = await start({ memorySizeMb: 128, enforceMemory: false });
    expect((await lax.invoke({ action: 'alloc', chunks: 8, chunkMb: 16 })).status).toBe('success');
  });
});

describe('events that cannot be serialized', () => {
  it('rejects before anything reaches the environment; the next invoke works in the same process', async () => {
    const sim = await start();
    const first = await sim.invoke({ n: 1 });
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    await expect(sim.invoke(circular)).rejects.toThrow(/cannot be serialized to JSON.*circular/i);
    await expect(sim.invoke({ big: 10n })).rejects.toThrow(/cannot be serialized to JSON.*BigInt/i);
    await expect(sim.invoke(() => 1)).rejects.toThrow(/cannot be serialized/);
    const next = await sim.invoke({ n: 2 });
    expect(next.status).toBe('success');
    expect(next.coldStart).toBe(false);
    expect((next.response as { pid: number }).pid).toBe((first.response as { pid: number }).pid);
    expect(sim.telemetry.emitted.filter((e) => e.type === 'platform.start')).toHaveLength(2);
  });
});
