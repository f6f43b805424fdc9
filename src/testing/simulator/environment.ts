// One execution environment: the runtime process and the API state Lambda keeps for it
// (extensions, the pending long polls, the invokes in flight and their two gates).
import { spawn, type ChildProcess } from 'node:child_process';
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { newRequestId } from './ids.js';
import { lambdaEnv, runtimeCommand } from './lambda-env.js';
import type { ResolvedOptions } from './options.js';
import { peakMemoryMb, procState, rssTreeMb, signalGroup, trackGroup, untrackGroup, waitStopped } from './proc.js';
import { TelemetryHub } from './telemetry-hub.js';
import type { ExtensionInfo, InitRecord, InvokeError, TelemetryLog } from './types.js';

/** What the runtime answered for an invoke. */
export type Outcome =
  | { kind: 'response'; body: string; bytes: Buffer; streamed: boolean; contentType?: string }
  | { kind: 'error'; error: InvokeError };

/** A registered extension and its long poll. */
export interface ExtensionState {
  info: ExtensionInfo;
  poll?: ServerResponse;
  polledOnce: boolean;
  queue: object[];
  /** Request id of the last INVOKE event handed to it. */
  lastDelivered?: string;
}

/** The invoke in progress and its timing (performance.now() ms). */
export interface InvokeState {
  requestId: string;
  traceId: string;
  handedAt: number;
  deadlineMs: number;
  /** Ids of the INVOKE-registered extensions when the event was handed over. */
  invokeExts: string[];
  extDone: Set<string>;
  lastExtDoneAt?: number;
  outcome?: Outcome;
  responseStartAt?: number;
  responseEndAt?: number;
  producedBytes: number;
  runtimeDoneAt?: number;
  endedAt?: number;
  timedOut: boolean;
  /** The first invoke handed to this process. */
  coldStart: boolean;
}

/** Converts a performance.now() time to an ISO timestamp. */
export function isoAt(perfMs: number): string {
  return new Date(performance.timeOrigin + perfMs).toISOString();
}

const ANSWERED_LIMIT = 1000;
/** How often the memory limit is checked while the process runs. */
const MEMORY_POLL_MS = 25;

/** A spawned runtime process and everything Lambda tracks about it. */
export class Environment {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly spawnedAt = performance.now();
  readonly telemetry: TelemetryHub;
  readonly init: InitRecord;
  readonly extensions = new Map<string, ExtensionState>();
  readonly runtimePollers: ServerResponse[] = [];
  readonly answered = new Set<string>();
  registrationClosed = false;
  runtimeFirstNextAt?: number;
  initDoneAt?: number;
  initError?: InvokeError;
  /** The invoke handed over last (the only one, except in Managed Instances mode). */
  current?: InvokeState;
  /** Invokes handed over and not yet finished by the simulator, by request id. */
  readonly inflight = new Map<string, InvokeState>();
  invokeCount = 0;
  frozen = false;
  dead = false;
  /** Killed for exceeding memorySizeMb. */
  outOfMemory = false;
  exit?: { code: number | null; signal: string | null };
  private readonly waiters = new Set<() => void>();
  private readonly memoryTimer?: NodeJS.Timeout;

  constructor(
    readonly opts: ResolvedOptions,
    runtimeApi: string,
    telemetryLog: TelemetryLog,
    private readonly onLog: (line: string) => void,
    logSocket?: string,
  ) {
    this.telemetry = new TelemetryHub(telemetryLog);
    const command = runtimeCommand(opts);
    this.child = spawn(command.file, command.args, {
      cwd: opts.taskRoot,
      env: lambdaEnv(opts, runtimeApi, logSocket),
      detached: true, // own process group: freeze and kill everything it starts
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.pid = this.child.pid ?? -1;
    this.init = { pid: this.pid };
    if (this.pid > 0) trackGroup(this.pid);
    for (const stream of [this.child.stdout, this.child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => this.functionLog(line));
    }
    this.child.on('error', (error) => {
      this.onLog(`[simulator] cannot start runtime: ${error.message}`);
      this.markDead(null, null);
    });
    this.child.on('exit', (code, signal) => this.markDead(code, signal));
    if (opts.enforceMemory && this.pid > 0) this.memoryTimer = setInterval(() => this.checkMemory(), MEMORY_POLL_MS).unref();
    this.telemetry.emit('platform.initStart', {
      initializationType: opts.initializationType,
      phase: 'init',
      functionName: opts.functionName,
      functionVersion: opts.functionVersion,
      instanceMaxMemory: opts.memorySizeMb,
    });
  }

  /** The process is gone: release its long polls and its telemetry. */
  private markDead(code: number | null, signal: string | null): void {
    if (this.exit === undefined && (code !== null || signal !== null)) this.exit = { code, signal };
    if (this.dead) {
      this.changed();
      return;
    }
    this.dead = true;
    this.frozen = false;
    clearInterval(this.memoryTimer);
    if (this.pid > 0) {
      signalGroup(this.pid, 'SIGKILL'); // stragglers the handler may have started
      untrackGroup(this.pid);
    }
    for (const res of this.runtimePollers.splice(0)) res.destroy();
    for (const ext of this.extensions.values()) ext.poll?.destroy();
    this.telemetry.close();
    this.changed();
  }

  /** Past memorySizeMb, Lambda kills the process (tree): the invoke ends as Runtime.OutOfMemory. */
  private checkMemory(): void {
    if (this.dead || this.frozen || this.outOfMemory) return;
    const mb = rssTreeMb(this.pid);
    if (mb === undefined || mb <= this.opts.memorySizeMb) return;
    this.outOfMemory = true;
    this.onLog(`[simulator] memory ${Math.ceil(mb)} MB exceeds memorySizeMb ${this.opts.memorySizeMb}: killing the runtime process`);
    signalGroup(this.pid, 'SIGKILL');
  }

  /** Wakes every waiter to re-check its condition. */
  changed(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Resolves true once `done()` holds, false after `timeoutMs`. */
  waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = (): void => {
        if (!done()) return;
        finish(true);
      };
      const timer = setTimeout(() => finish(done()), Math.max(0, timeoutMs));
      const finish = (v: boolean): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(v);
      };
      this.waiters.add(check);
    });
  }

  /** Resolves when the process has exited, or false after `timeoutMs`. */
  waitExit(timeoutMs: number): Promise<boolean> {
    return this.waitFor(() => this.exit !== undefined || (this.dead && this.child.exitCode !== null), timeoutMs);
  }

  /** Remembers an answered request id (bounded) so a second answer gets a clear error. */
  rememberAnswered(id: string): void {
    this.answered.add(id);
    if (this.answered.size > ANSWERED_LIMIT) this.answered.delete(this.answered.values().next().value as string);
  }

  /** Init is complete: the runtime called /next and every extension polled once. */
  checkInit(): void {
    if (this.initDoneAt !== undefined || this.runtimeFirstNextAt === undefined || this.initError || this.dead) return;
    for (const ext of this.extensions.values()) if (!ext.polledOnce) return;
    this.initDoneAt = performance.now();
    this.init.extensionsReadyMs = round(this.initDoneAt - this.spawnedAt);
    this.telemetry.emit('platform.initReport', {
      initializationType: this.opts.initializationType,
      phase: 'init',
      status: 'success',
      metrics: { durationMs: this.init.extensionsReadyMs },
    });
    this.changed();
  }

  /** A line of function output (stdout/stderr, or the Managed Instances log socket). */
  functionLog(line: string): void {
    this.onLog(line);
    this.telemetry.emit('function', line);
  }

  /** An invoke ends once answered, the runtime is back on /next and every INVOKE extension on /event/next. */
  checkInvokeEnd(): void {
    let ended = false;
    for (const inv of this.inflight.values()) {
      if (inv.endedAt !== undefined || inv.timedOut || !inv.outcome || inv.runtimeDoneAt === undefined) continue;
      if (!inv.invokeExts.every((id) => inv.extDone.has(id))) continue;
      inv.endedAt = performance.now();
      ended = true;
    }
    if (ended) this.changed();
  }

  /** Emits platform.runtimeDone for the current invoke. */
  emitRuntimeDone(inv: InvokeState, status: string, errorType?: string): void {
    const done = inv.runtimeDoneAt ?? performance.now();
    const spans: object[] = [];
    if (inv.responseStartAt !== undefined) {
      spans.push({ name: 'responseLatency', start: isoAt(inv.handedAt), durationMs: round(inv.responseStartAt - inv.handedAt) });
      if (inv.responseEndAt !== undefined) {
        spans.push({ name: 'responseDuration', start: isoAt(inv.responseStartAt), durationMs: round(inv.responseEndAt - inv.responseStartAt) });
      }
    }
    this.telemetry.emit('platform.runtimeDone', {
      requestId: inv.requestId,
      status,
      ...(errorType ? { errorType } : {}),
      metrics: { durationMs: round(done - inv.handedAt), producedBytes: inv.producedBytes },
      spans,
      tracing: { type: 'X-Amzn-Trace-Id', value: inv.traceId },
    });
  }

  /** Answers the extension's pending /event/next, or queues the event for its next poll. */
  deliverToExtension(ext: ExtensionState, event: object): void {
    const poll = ext.poll;
    ext.poll = undefined;
    if (!poll || poll.destroyed) {
      ext.queue.push(event);
      return;
    }
    const text = JSON.stringify(event);
    poll.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      'Lambda-Extension-Event-Identifier': newRequestId(),
    });
    poll.end(text);
  }

  /** SIGSTOP the whole group, then check /proc shows it stopped. Telemetry waits for the thaw. */
  async freeze(): Promise<boolean> {
    if (this.dead) return false;
    this.telemetry.pause();
    if (!signalGroup(this.pid, 'SIGSTOP')) return false;
    this.frozen = true;
    return waitStopped(this.pid);
  }

  /** SIGCONT the whole group; telemetry deliveries resume. */
  thaw(): void {
    if (!this.frozen) return;
    signalGroup(this.pid, 'SIGCONT');
    this.frozen = false;
    this.telemetry.resume();
  }

  /** Peak memory of the runtime process, MB. */
  peakMemoryMb(): number | undefined {
    return peakMemoryMb(this.pid);
  }

  /** The /proc state letter, or undefined once gone. */
  state(): string | undefined {
    return this.dead ? undefined : procState(this.pid);
  }

  /** SIGKILL the group and wait (bounded) for the exit. */
  async kill(): Promise<void> {
    if (this.exit !== undefined) return;
    signalGroup(this.pid, 'SIGKILL');
    await this.waitExit(5000);
    this.markDead(this.child.exitCode, this.child.signalCode);
  }
}

/** Rounds to microseconds, as the Telemetry API reports milliseconds with 3 decimals. */
export function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
