// End-to-end measurements through the project's test kit: each function runs under the real
// runtime client (Node 24) in the LambdaSimulator, exporting to an in-process OtlpReceiver.
import { readMemory } from './proc.mjs';
import { baseEnv, MEMORY_MB } from './variants.mjs';

const SIM_TIMEOUT_MS = 10_000;

function simOptions(row, fnInfo, rx, extra = {}) {
  return {
    taskRoot: fnInfo.taskRoot,
    handler: 'index.handler',
    functionName: `bench-${row.id}`,
    timeoutMs: SIM_TIMEOUT_MS,
    memorySizeMb: MEMORY_MB,
    // The simulator gives node Lambda's heap flags for 128 MB; it must not kill a function that
    // peaks near that limit mid-measurement (the RSS figures show how near it is).
    enforceMemory: false,
    ...(row.execWrapper ? { execWrapper: row.execWrapper } : {}),
    env: { ...baseEnv(rx.url), OTEL_SERVICE_NAME: `bench-${row.id}`, ...row.env },
    ...extra,
  };
}

function message(error) {
  return String(error?.message ?? error).split('\n')[0].slice(0, 200);
}

/** Waits (bounded) until the receiver holds at least `n` spans; returns how many it holds. */
async function spansAtLeast(rx, n, timeoutMs) {
  if (n > 0) await rx.waitFor((r) => r.spans().length >= n, timeoutMs).catch(() => {});
  return rx.spans().length;
}

/**
 * Cold starts: `runs` fresh processes per row, rows interleaved so that machine noise hits
 * them alike. Init = spawn → runtime's first /next (sim.inits[0].initDurationMs).
 */
export async function measureColdStarts({ LambdaSimulator, rx, rows, functions, runs, log }) {
  const out = Object.fromEntries(rows.map((r) => [r.id, { initMs: [], firstInvokeMs: [], firstBilledMs: [], firstCallerMs: [], spans: 0, invokes: 0, failures: [] }]));
  for (let i = 0; i < runs; i++) {
    for (const row of rows) {
      const res = out[row.id];
      if (row.unavailable || res.unavailable) continue;
      rx.clear();
      let sim;
      try {
        sim = await LambdaSimulator.start(simOptions(row, functions[row.fn], rx));
        const init = sim.inits?.[0]?.initDurationMs;
        const r = await sim.invoke({ bench: 'cold', i });
        res.invokes++;
        if (r.status !== 'success') res.failures.push(`invoke ${r.status}: ${r.error?.errorType ?? ''}`);
        if (Number.isFinite(init)) res.initMs.push(init);
        // What the first caller of a cold environment waits for: init, then its invoke.
        if (Number.isFinite(init) && Number.isFinite(r.latencyMs)) res.firstCallerMs.push(init + r.latencyMs);
        res.firstInvokeMs.push(r.latencyMs);
        res.firstBilledMs.push(r.billedDurationMs);
        res.spans += await spansAtLeast(rx, row.id.startsWith('bare') ? 0 : 1, 1000);
        if (row.expectsExtension) res.extensionRegistered = (sim.extensions?.length ?? 0) > 0;
      } catch (error) {
        res.failures.push(message(error));
        // Two failed starts in a row: stop trying this row, report it as n/a.
        if (res.failures.length >= 2 && res.initMs.length === 0) res.unavailable = `cold start failed: ${res.failures[0]}`;
      } finally {
        await sim?.close().catch(() => {});
      }
    }
    log(`cold start round ${i + 1}/${runs} done`);
  }
  return out;
}

/**
 * Warm invokes in one process: `invokes` with the receiver answering at once (RSS read while
 * frozen after invoke `rssMarks[i]`, then one extra probe invoke for the heap after a full
 * GC), then `delayedInvokes` with the receiver answering after
 * `delayMs`. The first (cold) invoke is not counted.
 */
export async function measureWarm({ LambdaSimulator, rx, row, fnInfo, invokes, delayedInvokes, delayMs, rssMarks, log }) {
  const res = { immediate: { latencyMs: [], billedMs: [], spans: 0 }, delayed: { latencyMs: [], billedMs: [], spans: 0 }, rss: {}, heap: {}, failures: [] };
  let count = 0;
  let sim;
  const onFreeze = ({ pid }) => {
    if (rssMarks.includes(count)) res.rss[count] = readMemory(pid);
  };
  try {
    rx.setBehavior({ delayMs: 0 });
    sim = await LambdaSimulator.start(simOptions(row, fnInfo, rx, { onFreeze }));
    await sim.invoke({ bench: 'warmup' });
    if (row.expectsExtension) res.extensionRegistered = (sim.extensions?.length ?? 0) > 0;
    const phase = async (name, n, target) => {
      rx.clear();
      let probes = 0;
      for (let i = 0; i < n; i++) {
        count = name === 'immediate' ? i + 1 : 0;
        const r = await sim.invoke({ bench: name, i });
        if (r.status !== 'success') {
          res.failures.push(`${name} #${i}: ${r.status} ${r.error?.errorType ?? ''}`);
          if (res.failures.length > 20) throw new Error(`too many failed invokes: ${res.failures[0]}`);
          continue;
        }
        target.latencyMs.push(r.latencyMs);
        target.billedMs.push(r.billedDurationMs);
        if (count > 0 && rssMarks.includes(count)) {
          // Memory probe: an extra invoke that forces a full GC and reports the heap.
          count = 0;
          const p = await sim.invoke({ gc: true });
          probes++;
          if (p.status === 'success' && Number.isFinite(p.response?.heapUsed)) res.heap[i + 1] = p.response;
        }
      }
      target.invokes = n + probes;
      target.spans = await spansAtLeast(rx, row.id === 'bare' ? 0 : n + probes, 3000);
    };
    await phase('immediate', invokes, res.immediate);
    log(`${row.id}: ${invokes} warm invokes done`);
    rx.setBehavior({ delayMs });
    await phase('delayed', delayedInvokes, res.delayed);
    log(`${row.id}: ${delayedInvokes} invokes with receiver delay ${delayMs} ms done`);
  } catch (error) {
    res.error = message(error);
  } finally {
    rx.setBehavior({ delayMs: 0 });
    await sim?.close().catch(() => {});
  }
  return res;
}
