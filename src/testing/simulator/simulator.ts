// LambdaSimulator: one Lambda function with one execution environment, run under the real
// aws-lambda-ric. Invokes are queued one at a time; a timeout or crash resets the environment.
import { performance } from 'node:perf_hooks';
import { Environment, isoAt, round, type InvokeState } from './environment.js';
import { newRequestId } from './ids.js';
import { resolveOptions, type ResolvedOptions } from './options.js';
import { startApiServer, type ApiServer } from './server.js';
import type {
  ExtensionInfo,
  InitRecord,
  InvokeError,
  InvokeOptions,
  InvokeResult,
  ShutdownResult,
  SimulatorOptions,
  TelemetryLog,
} from './types.js';

const LOG_LIMIT = 10_000;
/** How long a thaw waits for queued telemetry (the previous report) before the next event. */
const THAW_DELIVERY_MS = 1000;

/** An init that failed (error posted, process exited, or init timeout), with Lambda's error type. */
export class LambdaSimulatorError extends Error {
  /** Lambda's error type, e.g. `Runtime.ImportModuleError`, `Runtime.ExitError`, `Sandbox.Timedout`. */
  readonly errorType: string;
  /** The error as Lambda would report it. */
  readonly lambdaError: InvokeError;

  constructor(lambdaError: InvokeError, logTail: string[]) {
    const tail = logTail.length > 0 ? `\n--- last runtime output ---\n${logTail.join('\n')}` : '';
    super(`LambdaSimulator: init failed: ${lambdaError.errorType}: ${lambdaError.errorMessage}${tail}`);
    this.name = 'LambdaSimulatorError';
    this.errorType = lambdaError.errorType;
    this.lambdaError = lambdaError;
  }
}

/**
 * A local AWS Lambda: Runtime, Extensions and Telemetry APIs on 127.0.0.1, the handler running
 * under the real `aws-lambda-ric` (Node >= 22), frozen with SIGSTOP when each invoke ends.
 */
export class LambdaSimulator {
  /** Every line the runtime processes wrote to stdout/stderr (bounded). */
  readonly logs: string[] = [];
  /** One record per spawned runtime process. */
  readonly inits: InitRecord[] = [];
  private env?: Environment;
  private queue: Promise<unknown> = Promise.resolve();
  private closing?: Promise<void>;

  private constructor(
    private readonly opts: ResolvedOptions,
    private readonly api: ApiServer,
    /** Telemetry API subscriptions, emitted events and deliveries. */
    readonly telemetry: TelemetryLog,
  ) {}

  /** Validates options, starts the API server, spawns the runtime and waits until init completed. */
  static async start(options: SimulatorOptions): Promise<LambdaSimulator> {
    const opts = resolveOptions(options);
    const telemetry: TelemetryLog = { subscriptions: [], emitted: [], batches: [] };
    const holder: { sim?: LambdaSimulator } = {};
    const api = await startApiServer(opts.port, telemetry, () => holder.sim?.env);
    const sim = new LambdaSimulator(opts, api, telemetry);
    holder.sim = sim;
    try {
      await sim.spawnAndInit();
    } catch (error) {
      await sim.close();
      throw error;
    }
    return sim;
  }

  /** `host:port` of the APIs, as in AWS_LAMBDA_RUNTIME_API. */
  get runtimeApi(): string {
    return this.api.address;
  }

  /** Pid of the running runtime process (the process group leader). */
  get pid(): number | undefined {
    return this.env && !this.env.dead ? this.env.pid : undefined;
  }

  /** Extensions registered in the current environment. */
  get extensions(): ExtensionInfo[] {
    return [...(this.env?.extensions.values() ?? [])].map((e) => ({ ...e.info, events: [...e.info.events] }));
  }

  /** The state letter of /proc/<pid>/stat (`T` when frozen), undefined when no process runs. */
  processState(): string | undefined {
    return this.env?.state();
  }

  /** Invokes the function once (queued behind earlier invokes). */
  invoke(event?: unknown, options: InvokeOptions = {}): Promise<InvokeResult> {
    if (this.closing) return Promise.reject(new Error('LambdaSimulator: invoke() after close()'));
    const run = this.queue.then(() => this.runInvoke(event, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Ends the environment like Lambda: SIGTERM + grace when an extension is registered, else SIGKILL. */
  shutdown(): Promise<ShutdownResult> {
    const run = this.queue.then(() => this.runShutdown());
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Shuts down if needed and closes the server; idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.queue;
      await this.runShutdown().catch(() => undefined);
      await this.api.close();
    })();
    return this.closing;
  }

  private addLog(line: string): void {
    this.logs.push(line);
    if (this.logs.length > LOG_LIMIT) this.logs.splice(0, this.logs.length - LOG_LIMIT);
  }

  private async spawnAndInit(): Promise<Environment> {
    const env = new Environment(this.opts, this.api.address, this.telemetry, (line) => this.addLog(line));
    this.env = env;
    this.inits.push(env.init);
    await env.waitFor(() => env.initDoneAt !== undefined || env.initError !== undefined || env.dead, this.opts.initTimeoutMs);
    if (env.initDoneAt !== undefined && !env.dead) return env;
    let error: InvokeError;
    if (env.initError) {
      error = env.initError;
    } else if (env.dead) {
      const how = env.exit?.signal ? `signal ${env.exit.signal}` : `exit code ${env.exit?.code ?? 'unknown'}`;
      error = { errorType: 'Runtime.ExitError', errorMessage: `runtime process exited during init (${how})` };
    } else {
      const waiting = [...env.extensions.values()].filter((e) => !e.polledOnce).map((e) => e.info.name);
      const what = env.runtimeFirstNextAt === undefined ? 'the runtime never called /next' : `extensions never polled /event/next: ${waiting.join(', ')}`;
      error = { errorType: 'Sandbox.Timedout', errorMessage: `init did not complete within ${this.opts.initTimeoutMs} ms (${what})` };
    }
    await env.kill();
    throw new LambdaSimulatorError(error, this.logs.slice(-20));
  }

  private async runInvoke(event: unknown, options: InvokeOptions): Promise<InvokeResult> {
    if (this.closing) throw new Error('LambdaSimulator: invoke() after close()');
    let env = this.env;
    if (!env || env.dead) {
      try {
        env = await this.spawnAndInit();
      } catch (error) {
        if (!(error instanceof LambdaSimulatorError)) throw error;
        return { requestId: newRequestId(), status: 'failure', error: error.lambdaError, coldStart: true, latencyMs: 0, billedDurationMs: 0, frozen: false };
      }
    }
    env.thaw();
    await env.telemetry.flush(THAW_DELIVERY_MS); // the previous invoke's report reaches listeners before the next event
    const coldStart = env.invokeCount === 0;
    const initDurationMs = coldStart && env.initDoneAt !== undefined ? round(env.initDoneAt - env.spawnedAt) : undefined;
    const inv = await env.handOver(event, options);
    if (!inv) {
      const error = { errorType: 'Runtime.Unavailable', errorMessage: 'the runtime was not polling /next' };
      await env.kill();
      return { requestId: newRequestId(), status: 'failure', error, coldStart, latencyMs: 0, billedDurationMs: 0, frozen: false };
    }
    const e = env;
    const remaining = this.opts.timeoutMs - (performance.now() - inv.handedAt);
    await e.waitFor(() => inv.endedAt !== undefined || e.dead, remaining);
    const base = { requestId: inv.requestId, coldStart, ...(initDurationMs !== undefined ? { initDurationMs } : {}) };
    if (inv.endedAt === undefined) return this.abortInvoke(e, inv, base);

    const billedDurationMs = Math.ceil(inv.endedAt - inv.handedAt);
    const overhead = extensionOverhead(inv);
    const outcome = inv.outcome!;
    const status = outcome.kind === 'response' ? 'success' : 'error';
    const frozen = this.opts.freeze ? await e.freeze() : false;
    this.emitReport(e, inv, status, outcome.kind === 'error' ? outcome.error.errorType : undefined, coldStart);
    if (frozen && this.opts.onFreeze) await this.opts.onFreeze({ requestId: inv.requestId, pid: e.pid });
    return {
      ...base,
      status,
      ...(outcome.kind === 'response' ? { response: parseResponse(outcome.body) } : { error: outcome.error }),
      latencyMs: round((inv.responseEndAt ?? inv.endedAt) - inv.handedAt),
      billedDurationMs,
      frozen,
      ...(overhead > 0 ? { extensionOverheadMs: round(overhead) } : {}),
    };
  }

  /** The invoke did not end: the deadline passed (timeout) or the process died (failure). */
  private async abortInvoke(env: Environment, inv: InvokeState, base: { requestId: string; coldStart: boolean; initDurationMs?: number }): Promise<InvokeResult> {
    const timedOut = !env.dead;
    inv.timedOut = timedOut;
    const now = performance.now();
    let error: InvokeError;
    if (timedOut) {
      error = { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${inv.requestId} Error: Task timed out after ${(this.opts.timeoutMs / 1000).toFixed(2)} seconds` };
    } else {
      const how = env.exit?.signal ? `signal: ${env.exit.signal}` : `exit status ${env.exit?.code ?? 'unknown'}`;
      error = { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${inv.requestId} Error: Runtime exited with error: ${how}` };
    }
    const status = timedOut ? 'timeout' : 'failure';
    if (inv.runtimeDoneAt === undefined) env.emitRuntimeDone(inv, status, error.errorType);
    inv.endedAt = now;
    this.emitReport(env, inv, status, error.errorType, base.coldStart);
    if (timedOut) await env.kill(); // real Lambda resets the environment at the deadline
    const outcome = inv.outcome;
    return {
      ...base,
      status,
      ...(outcome?.kind === 'response' ? { response: parseResponse(outcome.body) } : {}),
      error,
      latencyMs: round((inv.responseEndAt ?? now) - inv.handedAt),
      billedDurationMs: Math.ceil(now - inv.handedAt),
      frozen: false,
    };
  }

  private emitReport(env: Environment, inv: InvokeState, status: string, errorType: string | undefined, coldStart: boolean): void {
    const ended = inv.endedAt ?? performance.now();
    const durationMs = round(ended - inv.handedAt);
    const metrics: Record<string, number> = {
      durationMs,
      billedDurationMs: Math.ceil(durationMs),
      memorySizeMB: this.opts.memorySizeMb,
      maxMemoryUsedMB: env.peakMemoryMb() ?? 0,
    };
    if (coldStart && this.opts.initializationType === 'on-demand' && env.initDoneAt !== undefined) {
      metrics.initDurationMs = round(env.initDoneAt - env.spawnedAt);
    }
    const spans: object[] = [];
    const overhead = extensionOverhead(inv);
    if (overhead > 0 && inv.runtimeDoneAt !== undefined) {
      spans.push({ name: 'extensionOverhead', start: isoAt(inv.runtimeDoneAt), durationMs: round(overhead) });
    }
    env.telemetry.emit('platform.report', {
      requestId: inv.requestId,
      status,
      ...(errorType ? { errorType } : {}),
      metrics,
      ...(spans.length > 0 ? { spans } : {}),
      tracing: { type: 'X-Amzn-Trace-Id', value: inv.traceId },
    });
  }

  private async runShutdown(): Promise<ShutdownResult> {
    const env = this.env;
    const started = performance.now();
    if (!env || env.dead) {
      return { signal: 'none', exitCode: env?.exit?.code ?? null, exitSignal: env?.exit?.signal ?? null, exitedWithinGrace: false, durationMs: 0 };
    }
    env.thaw();
    let signal: ShutdownResult['signal'] = 'SIGKILL';
    let exitedWithinGrace = false;
    if (env.extensions.size > 0) {
      signal = 'SIGTERM';
      process.kill(env.pid, 'SIGTERM');
      const deadlineMs = Date.now() + this.opts.shutdownGraceMs;
      for (const ext of env.extensions.values()) {
        if (ext.info.events.includes('SHUTDOWN')) env.deliverToExtension(ext, { eventType: 'SHUTDOWN', shutdownReason: 'spindown', deadlineMs });
      }
      void env.telemetry.flush(this.opts.shutdownGraceMs); // the last report, while the grace period runs
      exitedWithinGrace = await env.waitExit(this.opts.shutdownGraceMs);
    }
    if (!exitedWithinGrace) await env.kill();
    return {
      signal,
      exitCode: env.exit?.code ?? null,
      exitSignal: env.exit?.signal ?? null,
      exitedWithinGrace,
      durationMs: round(performance.now() - started),
    };
  }
}

/** Time an extension held the invoke after the runtime was back on /next (0 when none did). */
function extensionOverhead(inv: InvokeState): number {
  if (inv.runtimeDoneAt === undefined || inv.lastExtDoneAt === undefined || inv.lastExtDoneAt <= inv.runtimeDoneAt) return 0;
  return (inv.endedAt ?? inv.lastExtDoneAt) - inv.runtimeDoneAt;
}

function parseResponse(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}
