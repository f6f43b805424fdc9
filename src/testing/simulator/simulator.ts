// LambdaSimulator: one Lambda function with one execution environment, run under the real
// aws-lambda-ric. Invokes are queued one at a time (Managed Instances: up to maxConcurrency at
// once); a timeout or crash resets the environment.
import { performance } from 'node:perf_hooks';
import { Environment, round, type InvokeState } from './environment.js';
import { LambdaSimulatorError } from './simulator-error.js';
import { handOver } from './hand-over.js';
import { newRequestId } from './ids.js';
import { startLogSocket, type LogSocket } from './log-socket.js';
import { resolveOptions, type ResolvedOptions } from './options.js';
import { abortError, emitReport, extensionOverhead, responseFields } from './reports.js';
import { startApiServer, type ApiServer } from './server.js';
import { Slots } from './slots.js';
import type { ExtensionInfo, InitRecord, InvokeError, InvokeOptions, InvokeResult, ShutdownResult, SimulatorOptions, TelemetryLog } from './types.js';

export { LambdaSimulatorError };

const LOG_LIMIT = 10_000;
/** How long a thaw waits for queued telemetry (the previous report) before the next event. */
const THAW_DELIVERY_MS = 1000;

/**
 * A local AWS Lambda: Runtime, Extensions and Telemetry APIs on 127.0.0.1, the handler running
 * under the real `aws-lambda-ric` (Node >= 22), frozen with SIGSTOP when each invoke ends.
 *
 * @example
 * ```ts
 * import { LambdaSimulator, OtlpReceiver } from 'otel-lambda-flush/testing';
 *
 * const rx = await OtlpReceiver.start();
 * const sim = await LambdaSimulator.start({
 *   taskRoot: '/abs/path/to/built/handler/dir', // JavaScript: bundle TypeScript first
 *   handler: 'handler.handler',
 *   env: { OTEL_EXPORTER_OTLP_ENDPOINT: rx.url },
 *   // runs while the process is frozen: was everything exported before the freeze?
 *   onFreeze: ({ requestId }) => {
 *     if (rx.spans({ attributes: { 'faas.invocation_id': requestId } }).length === 0) throw new Error('lost');
 *   },
 * });
 * const r = await sim.invoke({ hello: 'world' }); // { status, response, latencyMs, billedDurationMs, coldStart, frozen, ... }
 * await sim.close();
 * await rx.close();
 * ```
 */
export class LambdaSimulator {
  /** Every line the runtime processes wrote to stdout/stderr (bounded). */
  readonly logs: string[] = [];
  /** One record per spawned runtime process. */
  readonly inits: InitRecord[] = [];
  private env?: Environment;
  private spawning?: Promise<Environment>;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly running = new Set<Promise<unknown>>();
  private readonly slots?: Slots;
  private closing?: Promise<void>;

  private constructor(
    private readonly opts: ResolvedOptions,
    private readonly api: ApiServer,
    /** Telemetry API subscriptions, emitted events and deliveries. */
    readonly telemetry: TelemetryLog,
    private readonly logSocket?: LogSocket,
  ) {
    if (opts.managedInstances) this.slots = new Slots(opts.managedInstances.maxConcurrency);
  }

  /** Validates options, starts the API server, spawns the runtime and waits until init completed. */
  static async start(options: SimulatorOptions): Promise<LambdaSimulator> {
    const opts = resolveOptions(options);
    const telemetry: TelemetryLog = { subscriptions: [], emitted: [], batches: [] };
    const holder: { sim?: LambdaSimulator } = {};
    const api = await startApiServer(opts.port, telemetry, () => holder.sim?.env);
    const logSocket = opts.managedInstances ? await startLogSocket((line) => holder.sim?.env?.functionLog(line)) : undefined;
    const sim = new LambdaSimulator(opts, api, telemetry, logSocket);
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

  /**
   * Invokes the function once (queued behind earlier invokes; in Managed Instances mode run
   * concurrently up to `maxConcurrency`).
   * @throws (rejects) when `event` cannot be serialized to JSON (circular, BigInt): nothing
   * reaches the environment, and later invokes are unaffected.
   */
  invoke(event?: unknown, options: InvokeOptions = {}): Promise<InvokeResult> {
    if (this.closing) return Promise.reject(new Error('LambdaSimulator: invoke() after close()'));
    let body: string;
    try {
      body = JSON.stringify(event === undefined ? {} : event);
      if (typeof body !== 'string') throw new TypeError(`${typeof event} is not a JSON value`);
    } catch (error) {
      return Promise.reject(new TypeError(`LambdaSimulator.invoke: the event cannot be serialized to JSON: ${(error as Error).message}`, { cause: error }));
    }
    if (this.slots) {
      const run = this.queue.then(() => this.slots!.run(() => this.runInvoke(body, options)));
      this.running.add(run);
      void run.catch(() => undefined).finally(() => this.running.delete(run));
      return run;
    }
    const run = this.queue.then(() => this.runInvoke(body, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Ends the environment like Lambda: SIGTERM + grace when an extension is registered, else SIGKILL. */
  shutdown(): Promise<ShutdownResult> {
    const run = this.drained().then(() => this.runShutdown());
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Shuts down if needed and closes the server; idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.drained();
      await this.runShutdown().catch(() => undefined);
      await this.api.close();
      await this.logSocket?.close();
    })();
    return this.closing;
  }

  /** Resolves when every queued and running invoke settled. */
  private async drained(): Promise<void> {
    await this.queue;
    await Promise.allSettled([...this.running]);
  }

  private addLog(line: string): void {
    this.logs.push(line);
    if (this.logs.length > LOG_LIMIT) this.logs.splice(0, this.logs.length - LOG_LIMIT);
  }

  /** The live environment, or a new one (one spawn shared by concurrent callers). */
  private ensureEnv(): Promise<Environment> {
    if (this.env && !this.env.dead) return Promise.resolve(this.env);
    this.spawning ??= this.spawnAndInit().finally(() => (this.spawning = undefined));
    return this.spawning;
  }

  private async spawnAndInit(): Promise<Environment> {
    const env = new Environment(this.opts, this.api.address, this.telemetry, (line) => this.addLog(line), this.logSocket?.path);
    this.env = env;
    this.inits.push(env.init);
    await env.waitFor(() => env.initDoneAt !== undefined || env.initError !== undefined || env.dead, this.opts.initTimeoutMs);
    if (env.initDoneAt !== undefined && !env.dead) return env;
    let error: InvokeError;
    if (env.initError) {
      error = env.initError;
    } else if (env.dead) {
      const how = env.exit?.signal ? `signal ${env.exit.signal}` : `exit code ${env.exit?.code ?? 'unknown'}`;
      error = env.outOfMemory
        ? { errorType: 'Runtime.OutOfMemory', errorMessage: `runtime process exceeded memorySizeMb ${this.opts.memorySizeMb} during init (${how})` }
        : { errorType: 'Runtime.ExitError', errorMessage: `runtime process exited during init (${how})` };
    } else {
      const waiting = [...env.extensions.values()].filter((e) => !e.polledOnce).map((e) => e.info.name);
      const what = env.runtimeFirstNextAt === undefined ? 'the runtime never called /next' : `extensions never polled /event/next: ${waiting.join(', ')}`;
      error = { errorType: 'Sandbox.Timedout', errorMessage: `init did not complete within ${this.opts.initTimeoutMs} ms (${what})` };
    }
    await env.kill();
    throw new LambdaSimulatorError(error, this.logs.slice(-20));
  }


  private async runInvoke(body: string, options: InvokeOptions): Promise<InvokeResult> {
    if (this.closing) throw new Error('LambdaSimulator: invoke() after close()');
    let env: Environment;
    try {
      env = await this.ensureEnv();
    } catch (error) {
      if (!(error instanceof LambdaSimulatorError)) throw error;
      return { requestId: newRequestId(), status: 'failure', error: error.lambdaError, coldStart: true, latencyMs: 0, billedDurationMs: 0, frozen: false };
    }
    const managed = this.opts.managedInstances !== undefined;
    if (!managed) {
      env.thaw();
      await env.telemetry.flush(THAW_DELIVERY_MS); // the previous invoke's report reaches listeners before the next event
    }
    const inv = await handOver(env, body, options);
    if (!inv) {
      const error = { errorType: 'Runtime.Unavailable', errorMessage: 'the runtime was not polling /next' };
      if (!managed) await env.kill();
      return { requestId: newRequestId(), status: 'failure', error, coldStart: env.invokeCount === 0, latencyMs: 0, billedDurationMs: 0, frozen: false };
    }
    try {
      return await this.awaitEnd(env, inv);
    } finally {
      env.inflight.delete(inv.requestId);
    }
  }

  private async awaitEnd(env: Environment, inv: InvokeState): Promise<InvokeResult> {
    const initDurationMs = inv.coldStart && env.initDoneAt !== undefined ? round(env.initDoneAt - env.spawnedAt) : undefined;
    const remaining = this.opts.timeoutMs - (performance.now() - inv.handedAt);
    await env.waitFor(() => inv.endedAt !== undefined || env.dead, remaining);
    const base = { requestId: inv.requestId, coldStart: inv.coldStart, ...(initDurationMs !== undefined ? { initDurationMs } : {}) };
    if (inv.endedAt === undefined) return this.abortInvoke(env, inv, base);

    const billedDurationMs = Math.ceil(inv.endedAt - inv.handedAt);
    const overhead = extensionOverhead(inv);
    const outcome = inv.outcome!;
    const status = outcome.kind === 'response' ? 'success' : 'error';
    const frozen = this.opts.freeze ? await env.freeze() : false;
    emitReport(env, inv, status, outcome.kind === 'error' ? outcome.error.errorType : undefined);
    if (frozen && this.opts.onFreeze) await this.opts.onFreeze({ requestId: inv.requestId, pid: env.pid });
    return {
      ...base,
      status,
      ...(outcome.kind === 'response' ? responseFields(outcome) : { error: outcome.error }),
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
    const { status, error } = abortError(env, inv, this.opts.timeoutMs);
    if (inv.runtimeDoneAt === undefined) env.emitRuntimeDone(inv, status, error.errorType);
    inv.endedAt = now;
    env.rememberAnswered(inv.requestId); // a late answer (Managed Instances run on) gets 403
    emitReport(env, inv, status, error.errorType);
    // Real Lambda resets the environment at the deadline; Managed Instances keep serving the others.
    if (timedOut && !this.opts.managedInstances) await env.kill();
    const outcome = inv.outcome;
    return {
      ...base,
      status,
      ...(outcome?.kind === 'response' ? responseFields(outcome) : {}),
      error,
      latencyMs: round((inv.responseEndAt ?? now) - inv.handedAt),
      billedDurationMs: Math.ceil(now - inv.handedAt),
      frozen: false,
    };
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
