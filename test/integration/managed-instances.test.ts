// Lambda Managed Instances through the simulator: the real runtime client in its multi-concurrent
// mode (4 worker threads), 64 invokes at once. Per-invoke spans, parents and X-Ray, one extension
// per environment, nothing lost at SIGTERM with the register preload on the main thread, and a
// bounded loss (with one warning) without it.
// Fixtures import `otel-lambda-flush` from dist/: run `npm run build` first.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LambdaSimulator, OtlpReceiver, type InvokeResult, type ReceivedSpan } from '../../src/testing/index.js';

const taskRoot = fileURLToPath(new URL('../fixtures/managed/', import.meta.url));
const zeroCodeEsm = fileURLToPath(new URL('../fixtures/zero-code/esm/', import.meta.url));
const wrapper = fileURLToPath(new URL('../../bin/otel-lambda-flush-wrapper', import.meta.url));
const registerCjs = fileURLToPath(new URL('../../dist/cjs/zero-code/register.cjs', import.meta.url));
const CONCURRENCY = 64;

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close().catch(() => undefined);
});

interface Answer {
  requestId: string;
  threadId: number;
  traceId?: string;
  spanId?: string;
  end: number;
}

async function start(env: Record<string, string>, maxConcurrency = CONCURRENCY): Promise<{ rx: OtlpReceiver; sim: LambdaSimulator }> {
  const rx = await OtlpReceiver.start();
  open.push(rx);
  const sim = await LambdaSimulator.start({
    taskRoot,
    handler: 'handler.handler',
    managedInstances: { maxConcurrency, workerCount: 4 },
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_LAMBDA_TELEMETRY_PORT: '0', ...env },
    timeoutMs: 20_000,
  });
  open.push(sim);
  return { rx, sim };
}

/** An X-Ray header of its own per invoke, sampled, so each invoke's trace is known up front. */
function xray(): { header: string; traceId: string; parent: string } {
  const time = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
  const rest = randomBytes(12).toString('hex');
  const parent = randomBytes(8).toString('hex');
  return { header: `Root=1-${time}-${rest};Parent=${parent};Sampled=1`, traceId: time + rest, parent };
}

async function rounds(sim: LambdaSimulator, n: number): Promise<{ result: InvokeResult; sent: ReturnType<typeof xray> }[]> {
  const all: { result: InvokeResult; sent: ReturnType<typeof xray> }[] = [];
  for (let r = 0; r < n; r++) {
    const batch = Array.from({ length: CONCURRENCY }, (_, i) => {
      const sent = xray();
      return sim.invoke({ ms: 2 + ((i * 7 + r) % 13) }, { traceId: sent.header }).then((result) => ({ result, sent }));
    });
    all.push(...(await Promise.all(batch)));
  }
  return all;
}

/** Resident memory of the runtime process, in MB (Linux). */
function rssMb(pid: number | undefined): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

const invocationSpans = (rx: OtlpReceiver) => rx.spans().filter((s) => s.attributes['faas.invocation_id'] !== undefined);
const total = (rx: OtlpReceiver, name: string) => rx.metrics(name).reduce((a, p) => a + (p.value ?? 0), 0);

describe('Lambda Managed Instances', () => {
  it('64 concurrent × 20 rounds: one true span per invoke, own children, own X-Ray parent; nothing lost at SIGTERM with the preload', async () => {
    // The processors' own timers off: only the background flush (every second) and SIGTERM export,
    // so the last round is still held when SIGTERM comes.
    const { rx, sim } = await start({
      NODE_OPTIONS: `--require ${registerCjs}`,
      OTEL_PROPAGATORS: 'xray-lambda',
      OTEL_BSP_SCHEDULE_DELAY: '600000',
      OTEL_METRIC_EXPORT_INTERVAL: '600000',
    });
    // Exactly one extension per environment, registered by the main thread, for no event.
    expect(sim.extensions).toMatchObject([{ name: 'otel-lambda-flush', events: [], internal: true }]);

    const runs = await rounds(sim, 20);
    expect(runs).toHaveLength(1280);
    expect(runs.every(({ result }) => result.status === 'success' && !result.frozen)).toBe(true);
    const answers = runs.map(({ result }) => result.response as Answer);
    expect(new Set(answers.map((a) => a.threadId)).size).toBeGreaterThan(1);
    const before = invocationSpans(rx).length;

    const s = await sim.shutdown();
    expect(s.signal).toBe('SIGTERM');
    expect(s.exitedWithinGrace).toBe(true);
    // Some spans were still held when SIGTERM came (long intervals); all arrived within the grace.
    console.log(`managed: ${1280 - before} invocation spans still held at SIGTERM, all delivered in ${s.durationMs} ms`);
    expect(before).toBeLessThan(1280);

    const spans = invocationSpans(rx);
    const byRequest = new Map<string, ReceivedSpan[]>();
    for (const span of spans) {
      const id = span.attributes['faas.invocation_id'] as string;
      byRequest.set(id, [...(byRequest.get(id) ?? []), span]);
    }
    const bySpanId = new Map(spans.map((sp) => [sp.spanId, sp]));
    for (const { result, sent } of runs) {
      const own = byRequest.get(result.requestId) ?? [];
      expect(own, result.requestId).toHaveLength(1); // exactly one invocation span, its own request id
      const span = own[0]!;
      expect(span.status.code).not.toBe('error');
      expect(span.traceId).toBe(sent.traceId); // X-Ray of this invoke, from the invoke store
      expect(span.parentSpanId).toBe(sent.parent);
      expect((result.response as Answer).spanId).toBe(span.spanId);
    }
    expect(spans.filter((sp) => sp.status.code === 'error')).toEqual([]);
    // Cold start per runtime worker thread (each initialises once): its first invoke.
    expect(spans.filter((sp) => sp.attributes['faas.coldstart'] === true)).toHaveLength(new Set(answers.map((a) => a.threadId)).size);
    // Children: under their own invoke's span, never another's.
    const children = rx.spans().filter((sp) => sp.name === 'child-a' || sp.name === 'child-b');
    expect(children).toHaveLength(2 * 1280);
    for (const child of children) {
      const parent = bySpanId.get(child.parentSpanId ?? '');
      expect(parent?.traceId).toBe(child.traceId);
    }
    const perParent = new Map<string, number>();
    for (const c of children) perParent.set(c.parentSpanId!, (perParent.get(c.parentSpanId!) ?? 0) + 1);
    expect([...perParent.values()].every((n) => n === 2)).toBe(true);
    expect(rx.spans({ name: 'grandchild' })).toHaveLength(1280);
    // Platform metrics once per environment (main thread): one count per invoke.
    expect(total(rx, 'faas.invocations')).toBe(1280);
  }, 90_000);

  it('without the main-thread preload: one warning, no extension, and what is lost bounded by the export interval', async () => {
    const { rx, sim } = await start({ OTEL_LAMBDA_EXTENSION: 'true' });
    expect(sim.extensions).toEqual([]); // worker threads never register
    const runs = await rounds(sim, 5);
    expect(runs.every(({ result }) => result.status === 'success')).toBe(true);
    await new Promise((r) => setTimeout(r, 2500)); // the worker threads' wait for the main thread's answer
    const warnings = sim.logs.filter((l) => l.includes('nothing of otel-lambda-flush runs on the runtime'));
    expect(warnings).toHaveLength(1);
    // Load right before the environment ends: no SIGTERM (no extension), SIGKILL at once.
    const last = await rounds(sim, 1);
    const killedAt = Date.now();
    const s = await sim.shutdown();
    expect(s.signal).toBe('SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    const received = new Set(invocationSpans(rx).map((sp) => sp.attributes['faas.invocation_id']));
    const all = [...runs, ...last];
    const lost = all.filter(({ result }) => !received.has(result.requestId));
    // Background export (1000 ms by default): only what ended in the last interval can be lost.
    const oldestLost = Math.min(...lost.map(({ result }) => (result.response as Answer).end));
    console.log(`managed without preload: ${lost.length} of ${all.length} invocation spans lost, oldest ended ${lost.length ? killedAt - oldestLost : 0} ms before the kill`);
    expect(runs.every(({ result }) => received.has(result.requestId))).toBe(true); // ended seconds before the kill
    if (lost.length > 0) expect(killedAt - oldestLost).toBeLessThan(1000 + 1500);
  }, 90_000);

  it('a burst of 1,000 concurrent invokes: no response waits, memory stays bounded, every span is delivered or counted as dropped', async () => {
    // A small span queue and a slow collector, so the burst overflows it.
    const { rx, sim } = await start({ NODE_OPTIONS: `--require ${registerCjs}`, OTEL_BSP_MAX_QUEUE_SIZE: '256', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '128' }, 1000);
    rx.setBehavior({ delayMs: 300 });
    await Promise.all(Array.from({ length: 64 }, () => sim.invoke({ ms: 1 })));
    const rssBefore = rssMb(sim.pid);
    const burst = await Promise.all(Array.from({ length: 1000 }, () => sim.invoke({ ms: 20 })));
    const rssAfter = rssMb(sim.pid);
    expect(burst.every((r) => r.status === 'success')).toBe(true);
    const p50 = [...burst.map((r) => r.latencyMs)].sort((a, b) => a - b)[500]!;
    console.log(`managed burst: 1000 invokes, latency p50 ${p50} ms (collector takes 300 ms), RSS ${rssBefore.toFixed(0)} -> ${rssAfter.toFixed(0)} MB`);
    expect(p50).toBeLessThan(300 * 4); // the collector's delay is never on the response path
    expect(rssAfter - rssBefore).toBeLessThan(400);
    // The collector recovers: the background export catches up (what it kept is sent), then SIGTERM.
    rx.setBehavior({});
    const produced = 4 * 1064; // invocation span + child-a + grandchild + child-b per invoke
    const ours = new Set(['child-a', 'child-b', 'grandchild']);
    const unique = () => new Set(rx.spans().filter((sp) => ours.has(sp.name) || sp.attributes['faas.invocation_id'] !== undefined).map((sp) => sp.spanId)).size;
    await rx.waitFor(() => unique() >= produced, 15_000).catch(() => undefined);
    const s = await sim.shutdown();
    expect(s.signal).toBe('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    const received = unique();
    // Drops are counted (otel_lambda.export.dropped, cumulative per thread: the last point of each series).
    const series = new Map<string, number>();
    for (const p of rx.metrics('otel_lambda.export.dropped')) {
      if (p.attributes.signal !== 'traces') continue;
      const key = p.startTimeUnixNano ?? '';
      series.set(key, Math.max(series.get(key) ?? 0, p.value ?? 0));
    }
    const dropped = [...series.values()].reduce((a, b) => a + b, 0);
    console.log(`managed burst: ${received} spans delivered, ${dropped} counted as dropped, of ${produced}`);
    if (received < produced) expect(dropped).toBeGreaterThan(0);
    expect(received + dropped).toBe(produced);
  }, 90_000);

  it('zero-code wrapper (AWS_LAMBDA_EXEC_WRAPPER): its --import preload is the main-thread part; nothing lost at SIGTERM', async () => {
    const rx = await OtlpReceiver.start();
    open.push(rx);
    const sim = await LambdaSimulator.start({
      taskRoot: zeroCodeEsm,
      handler: 'index.handler',
      execWrapper: wrapper,
      managedInstances: { maxConcurrency: CONCURRENCY, workerCount: 4 },
      // Defaults: background export every second, the rest at SIGTERM.
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_LAMBDA_TELEMETRY_PORT: '0' },
    });
    open.push(sim);
    expect(sim.extensions).toMatchObject([{ name: 'otel-lambda-flush', events: [] }]);
    const results: InvokeResult[] = [];
    for (let r = 0; r < 3; r++) results.push(...(await Promise.all(Array.from({ length: CONCURRENCY }, (_, n) => sim.invoke({ n })))));
    expect(results.every((r) => r.status === 'success')).toBe(true);
    const s = await sim.shutdown();
    expect(s).toMatchObject({ signal: 'SIGTERM', exitedWithinGrace: true });
    const received = new Set(invocationSpans(rx).map((sp) => sp.attributes['faas.invocation_id']));
    expect(results.filter((r) => !received.has(r.requestId))).toEqual([]);
    expect(rx.spans({ name: 'handler-child' })).toHaveLength(results.length);
    expect(total(rx, 'faas.invocations')).toBe(results.length);
    expect(sim.logs.some((l) => l.includes('nothing of otel-lambda-flush runs on the runtime'))).toBe(false);
  }, 60_000);
});
