// Extensions API rules, the two invoke gates, the freeze and shutdown signals, with an in-process
// extension (test/fixtures/sim/ext.mjs) under the real aws-lambda-ric.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LambdaSimulator, LambdaSimulatorError, type SimulatorOptions } from '../../src/testing/index.js';

const taskRoot = fileURLToPath(new URL('../fixtures/sim', import.meta.url));
const sims: LambdaSimulator[] = [];

async function start(env: Record<string, string>, extra: Partial<SimulatorOptions> = {}): Promise<LambdaSimulator> {
  const sim = await LambdaSimulator.start({ taskRoot, handler: 'ext.handler', env, ...extra });
  sims.push(sim);
  return sim;
}

interface ExtState {
  registration: { status: number; body: string };
  invokes: { eventType: string; requestId: string; deadlineMs: number; invokedFunctionArn: string; tracing: { type: string; value: string } }[];
}

async function extState(sim: LambdaSimulator): Promise<ExtState> {
  return (await sim.invoke({ action: 'state' })).response as ExtState;
}

function statLetter(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

describe('Extensions API', () => {
  it('registers an internal INVOKE extension and sends it INVOKE events', async () => {
    const sim = await start({});
    expect(sim.extensions).toEqual([{ name: 'sim-ext', id: expect.any(String), events: ['INVOKE'], internal: true }]);
    const r = await sim.invoke({}, { traceId: 'Root=1-00000000-000000000000000000000001;Sampled=1' });
    const state = await extState(sim);
    expect(state.registration.status).toBe(200);
    expect(JSON.parse(state.registration.body)).toEqual({ functionName: 'test-function', functionVersion: '$LATEST', handler: 'ext.handler' });
    expect(state.invokes[0]).toMatchObject({
      eventType: 'INVOKE',
      requestId: r.requestId,
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:test-function',
      tracing: { type: 'X-Amzn-Trace-Id', value: 'Root=1-00000000-000000000000000000000001;Sampled=1' },
    });
    expect(state.invokes[0]!.deadlineMs).toBeGreaterThan(Date.now() - 60_000);
  });

  it('closes registration at the runtime’s first /next', async () => {
    const sim = await start({});
    const r = await sim.invoke({ action: 'register' });
    expect(r.response).toMatchObject({ status: 403, body: { errorType: 'Extension.RegistrationClosed' } });
  });

  it('refuses every registration with closeRegistrationEarly', async () => {
    const sim = await start({}, { closeRegistrationEarly: true });
    expect(sim.extensions).toEqual([]);
    const state = await extState(sim);
    expect(state.registration.status).toBe(403);
    expect(JSON.parse(state.registration.body).errorType).toBe('Extension.RegistrationClosed');
  });

  it('refuses SHUTDOWN for an internal extension', async () => {
    const sim = await start({ EXT_EVENTS: '["INVOKE","SHUTDOWN"]' });
    const state = await extState(sim);
    expect(state.registration.status).toBe(403);
    expect(JSON.parse(state.registration.body).errorType).toBe('Extension.InvalidEventType');
    expect(sim.extensions).toEqual([]);
  });

  it('accepts SHUTDOWN for an extension that is an executable in the extensions directory, and sends it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-ext-'));
    try {
      writeFileSync(join(dir, 'sim-ext'), '#!/bin/sh\n');
      chmodSync(join(dir, 'sim-ext'), 0o755);
      const sim = await start({ EXT_EVENTS: '["SHUTDOWN"]', EXT_IGNORE_SIGTERM: '1' }, { extensionsDir: dir, shutdownGraceMs: 300 });
      expect(sim.extensions[0]).toMatchObject({ events: ['SHUTDOWN'], internal: false });
      await sim.invoke({});
      // The SHUTDOWN event reaches the extension's poll while the process runs its grace period.
      const s = await sim.shutdown();
      expect(s.signal).toBe('SIGTERM');
      expect(sim.logs.some((l) => l.includes('sim-ext got SHUTDOWN spindown'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses INVOKE registration under maxConcurrency (Managed Instances)', async () => {
    const sim = await start({}, { maxConcurrency: 2 });
    expect(sim.extensions).toEqual([]);
    // The runtime client runs the module in several worker threads; the first registration
    // always precedes the first /next, so at least one is refused for its event type.
    expect(sim.logs.some((l) => l.includes('sim-ext registration 403') && l.includes('Extension.InvalidEventType'))).toBe(true);
    const r = await sim.invoke({});
    expect(r.status).toBe('success');
  });
});

describe('init gate', () => {
  it('waits for a registered extension’s first /event/next', async () => {
    const sim = await start({ EXT_FIRST_POLL_DELAY_MS: '700' });
    const init = sim.inits[0]!;
    // The delay starts at module load, shortly before the runtime's first /next.
    expect(init.extensionsReadyMs! - init.initDurationMs!).toBeGreaterThanOrEqual(300);
  });

  it('fails start() when an extension never polls', async () => {
    const err = await LambdaSimulator.start({ taskRoot, handler: 'ext.handler', env: { EXT_POLL: '0', EXT_NAME: 'lazy-ext' }, initTimeoutMs: 1500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LambdaSimulatorError);
    expect((err as LambdaSimulatorError).errorType).toBe('Sandbox.Timedout');
    expect((err as Error).message).toContain('lazy-ext');
  });

  it('fails start() with the error type an extension posted to /extension/init/error', async () => {
    const err = await LambdaSimulator.start({ taskRoot, handler: 'ext.handler', env: { EXT_INIT_ERROR: 'Extension.ConfigInvalid' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LambdaSimulatorError);
    expect((err as LambdaSimulatorError).errorType).toBe('Extension.ConfigInvalid');
    expect((err as Error).message).toContain('extension could not start');
  });
});

describe('invoke gate and freeze', () => {
  it('ends the invoke only when the extension polls again: billed > latency, frozen after both gates', async () => {
    const seen: { state: string; requestId: string }[] = [];
    const sim = await start(
      { EXT_DELAY_MS: '300' },
      { onFreeze: ({ pid, requestId }) => void seen.push({ state: statLetter(pid), requestId }) },
    );
    const r = await sim.invoke({});
    expect(r.status).toBe('success');
    // The extension's 300 ms hold starts when it gets INVOKE, at the hand-over.
    expect(r.billedDurationMs).toBeGreaterThanOrEqual(300);
    expect(r.latencyMs).toBeLessThan(r.billedDurationMs - 100);
    expect(r.extensionOverheadMs).toBeGreaterThanOrEqual(100);
    expect(r.frozen).toBe(true);
    expect(seen).toEqual([{ state: 'T', requestId: r.requestId }]);
    expect(sim.processState()).toBe('T');
    const report = sim.telemetry.emitted.find((e) => e.type === 'platform.report' && (e.record as { requestId: string }).requestId === r.requestId);
    expect((report?.record as { spans: { name: string; durationMs: number }[] }).spans[0]).toMatchObject({ name: 'extensionOverhead' });
  });

  it('does not freeze with freeze: false', async () => {
    const sim = await start({}, { freeze: false });
    const r = await sim.invoke({});
    expect(r.frozen).toBe(false);
    expect(sim.processState()).not.toBe('T');
  });

  it('an invoke without extension overhead reports none', async () => {
    const sim = await start({});
    const r = await sim.invoke({});
    expect(r.extensionOverheadMs ?? 0).toBeLessThan(50);
  });
});

describe('shutdown', () => {
  it('SIGTERM, then SIGKILL after the 500 ms grace for a process that ignores SIGTERM', async () => {
    const sim = await start({ EXT_IGNORE_SIGTERM: '1' });
    await sim.invoke({});
    const s = await sim.shutdown();
    expect(s.signal).toBe('SIGTERM');
    expect(s.exitSignal).toBe('SIGKILL');
    expect(s.exitedWithinGrace).toBe(false);
    expect(s.durationMs).toBeGreaterThanOrEqual(450);
    expect(s.durationMs).toBeLessThan(5000);
  });

  it('a process that ends on SIGTERM exits within the grace period', async () => {
    const sim = await start({}, { shutdownGraceMs: 3000 });
    await sim.invoke({});
    const s = await sim.shutdown();
    expect(s).toMatchObject({ signal: 'SIGTERM', exitSignal: 'SIGTERM', exitedWithinGrace: true });
    expect(s.durationMs).toBeLessThan(2500);
  });
});
