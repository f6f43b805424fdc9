// The built package on Node 20, 22 and 24, loaded as ESM (import) and as CommonJS (require):
// the exports are there, and a wrapped handler called directly flushes its span over real HTTP
// before it returns. Each probe is a child process that stops itself (SIGSTOP) right after the
// handler returned, so only what was exported before the return can be at the receiver then.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OtlpReceiver, type ReceivedSpan } from '../../src/testing/index.js';
import { compatFixtures, missingNode, nodeBinary, repoRoot, type NodeMajor } from '../fixtures/compat/nodes.js';

const PROBE_TIMEOUT_MS = 30_000;

interface Step {
  step: string;
  [key: string]: unknown;
}

interface ProbeRun {
  steps: Step[];
  /** Spans at the receiver while the probe was stopped at each checkpoint, by step name. */
  atStop: Map<string, ReceivedSpan[]>;
  /** Whether /proc showed the probe stopped at each checkpoint. */
  stopped: Map<string, boolean>;
  exitCode: number | null;
  stderr: string;
}

function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) || undefined;
  } catch {
    return undefined;
  }
}

async function waitStopped(pid: number, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const state = procState(pid);
    if (state === 'T' || state === 't') return true;
    if (state === undefined || state === 'Z') return false;
    await new Promise((r) => setTimeout(r, 2));
  }
  return false;
}

/** Runs one probe to its end, snapshotting the receiver at each self-stop, then resuming it. */
async function runProbe(binary: string, probe: string, rx: OtlpReceiver): Promise<ProbeRun> {
  const child = spawn(binary, [`${compatFixtures}direct/${probe}`], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      COMPAT_OTLP_URL: rx.url,
      // Nothing leaves on the batch processor's timer during the probe: only a flush exports.
      OTEL_BSP_SCHEDULE_DELAY: '600000',
      // What is proved is "flushed before returning" on each Node line, not speed: the first
      // flush loads the OTLP exporter, which on a loaded machine can outlast the 1 s default.
      OTEL_LAMBDA_FLUSH_TIMEOUT_MS: '5000',
      AWS_LAMBDA_FUNCTION_NAME: 'compat-direct',
      AWS_REGION: 'us-east-1',
    },
  });
  const pid = child.pid!;
  const run: ProbeRun = { steps: [], atStop: new Map(), stopped: new Map(), exitCode: null, stderr: '' };
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (run.stderr.length < 20_000) run.stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const killer = setTimeout(() => {
    // Hung probe: resume it if stopped, then kill it (our own child, by pid).
    child.kill('SIGCONT');
    child.kill('SIGKILL');
  }, PROBE_TIMEOUT_MS);
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      let step: Step;
      try {
        step = JSON.parse(line) as Step;
      } catch {
        continue; // not a protocol line (e.g. a log from the library)
      }
      run.steps.push(step);
      if (step.step === 'control' || step.step === 'returned') {
        const stopped = await waitStopped(pid, 5000);
        run.stopped.set(step.step, stopped);
        run.atStop.set(step.step, rx.spans());
        child.kill('SIGCONT');
      }
    }
    run.exitCode = await exited;
  } finally {
    clearTimeout(killer);
  }
  return run;
}

// Node 22 and 24 are dev dependencies (a missing one fails the test); Node 20 is whatever the
// machine has: its cases are skipped, saying why, only when no Node 20 binary exists.
const node20Missing = missingNode(20);
if (node20Missing) console.warn(`compat: skipping the Node 20 cases: ${node20Missing}`);
const cases: { major: NodeMajor; probe: string; format: 'esm' | 'cjs' }[] = [];
for (const major of [20, 22, 24] as const) {
  if (major === 20 && node20Missing) continue;
  cases.push({ major, probe: 'probe.mjs', format: 'esm' }, { major, probe: 'probe.cjs', format: 'cjs' });
}

describe('the built package on each supported Node version', () => {
  let rx: OtlpReceiver;
  beforeEach(async () => {
    rx = await OtlpReceiver.start();
  });
  afterEach(() => rx?.close());

  if (node20Missing) it.skip(`Node 20 cases: ${node20Missing}`, () => undefined);

  it.each(cases)('Node $major, $format: exports present; the wrapped handler flushed its span before returning', async ({ major, probe, format }) => {
    const run = await runProbe(nodeBinary(major), probe, rx);
    const detail = `steps: ${JSON.stringify(run.steps)}\nstderr: ${run.stderr}`;
    expect(run.exitCode, detail).toBe(0);
    expect(run.steps.map((s) => s.step), detail).toEqual(['exports', 'control', 'returned', 'done']);

    const exportsStep = run.steps[0]!;
    expect(exportsStep).toMatchObject({ format });
    expect(String(exportsStep.node).split('.')[0]).toBe(String(major));
    expect(exportsStep.main).toEqual({ withFlush: 'function', otelFlush: 'function', setupTelemetry: 'function' });
    expect(exportsStep.testing).toEqual({ fakeContext: 'function', OtlpReceiver: 'function', LambdaSimulator: 'function' });

    // Control: a span ended without a flush is not at the receiver while the process is stopped,
    // so this way of looking does catch a missing flush.
    expect(run.stopped.get('control')).toBe(true);
    expect(run.atStop.get('control')!.filter((s) => s.name === 'compat-control')).toEqual([]);

    const returned = run.steps[2]!;
    expect(returned.result).toEqual({ echo: 7, format, node: exportsStep.node });
    expect(run.stopped.get('returned')).toBe(true);
    const atReturn = run.atStop.get('returned')!;
    const span = atReturn.find((s) => s.attributes['faas.invocation_id'] === returned.requestId);
    expect(span, `invocation span at the receiver when the handler returned\n${detail}`).toBeDefined();
    expect(span!.kind).toBe('server');
    expect(span!.status.code).not.toBe('error');
    expect(span!.resource['faas.name']).toBe('compat-direct');
    // The flush exported everything pending, the control span included.
    expect(atReturn.filter((s) => s.name === 'compat-control')).toHaveLength(1);
  });
});
