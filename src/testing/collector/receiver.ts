// In-process OTLP/HTTP receiver for tests: decodes what exporters really send (JSON or protobuf,
// gzip or not), keeps it in memory, and can misbehave on purpose (delay, 503, 429, reset, black
// hole, down, idle connections forgotten) the way collectors and networks do in production.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { handleRequest, mediaType, type RequestContext } from './handle.js';
import { Connections, validateBehavior } from './network.js';
import { PROTOBUF_TYPE, reply } from './reply.js';
import type {
  OtlpReceiverOptions,
  ReceivedLogRecord,
  ReceivedMetricPoint,
  ReceivedRequest,
  ReceivedSpan,
  ReceiverBehavior,
  ReceiverSnapshot,
  SpanFilter,
} from './types.js';

const DEFAULT_MAX_BODY = 16 * 1024 * 1024;
const WAIT_POLL_MS = 50;
/** Node's default `keepAliveTimeout`. */
const DEFAULT_KEEP_ALIVE_MS = 5000;

function matches(value: string, pattern: string | RegExp): boolean {
  return typeof pattern === 'string' ? value === pattern : pattern.test(value);
}

/**
 * An OTLP/HTTP receiver on 127.0.0.1 that stores every span, metric data point and log record it
 * accepts. Serves `POST /v1/traces`, `/v1/metrics`, `/v1/logs` with `application/json` or
 * `application/x-protobuf` bodies, `gzip` or identity encoded.
 *
 * @example
 * ```ts
 * const rx = await OtlpReceiver.start();
 * process.env.OTEL_EXPORTER_OTLP_ENDPOINT = rx.url;
 * // ... run the code under test ...
 * await rx.waitFor((r) => r.spans({ name: 'GET /' }).length > 0);
 * await rx.close();
 * ```
 */
export class OtlpReceiver {
  private readonly server: Server;
  private readonly maxBodyBytes: number;
  private readonly received = { spans: [] as ReceivedSpan[], metrics: [] as ReceivedMetricPoint[], logs: [] as ReceivedLogRecord[] };
  private readonly log: ReceivedRequest[] = [];
  private behavior: ReceiverBehavior = {};
  private readonly connections = new Connections();
  private stopped?: Promise<void>;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly listeners = new Set<() => void>();
  private closing: Promise<void> | undefined;

  /** Base URL, `http://127.0.0.1:PORT`; use it as `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  readonly url: string;
  /** The port the receiver listens on. */
  readonly port: number;

  private constructor(server: Server, maxBodyBytes: number) {
    this.server = server;
    this.maxBodyBytes = maxBodyBytes;
    this.port = (server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${this.port}`;
    server.on('connection', (socket) => this.connections.add(socket));
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      handleRequest(this.context, req, res).catch((error: unknown) => {
        // A bug here must not take the test process down; answer 500 if still possible.
        if (!res.headersSent && !res.destroyed) reply(res, 500, PROTOBUF_TYPE === mediaType(req.headers['content-type']), String(error));
      });
    });
  }

  /**
   * Starts a receiver on 127.0.0.1.
   * @throws Error when the port is already in use or cannot be bound.
   */
  static async start(options: OtlpReceiverOptions = {}): Promise<OtlpReceiver> {
    const port = options.port ?? 0;
    const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`OtlpReceiver: invalid port ${String(port)}`);
    if (!Number.isInteger(maxBodyBytes) || maxBodyBytes <= 0) throw new TypeError(`OtlpReceiver: invalid maxBodyBytes ${String(maxBodyBytes)}`);
    const server = createServer();
    await listen(server, port);
    return new OtlpReceiver(server, maxBodyBytes);
  }

  /** Spans received so far (live objects, in arrival order), optionally filtered. */
  spans(filter: SpanFilter = {}): ReceivedSpan[] {
    return this.received.spans.filter(
      (span) =>
        (filter.name === undefined || matches(span.name, filter.name)) &&
        Object.entries(filter.attributes ?? {}).every(([key, value]) => key in span.attributes && isDeepStrictEqual(span.attributes[key], value)),
    );
  }

  /** Metric data points received so far (one entry per point), optionally by metric name. */
  metrics(name?: string | RegExp): ReceivedMetricPoint[] {
    return this.received.metrics.filter((point) => name === undefined || matches(point.name, name));
  }

  /** Log records received so far. */
  logs(): ReceivedLogRecord[] {
    return [...this.received.logs];
  }

  /** A deep copy of everything received so far, safe to keep while more arrives. */
  snapshot(): ReceiverSnapshot {
    return structuredClone({ at: Date.now(), ...this.received });
  }

  /** Every HTTP request seen so far, in completion order (black-holed ones when their body was read). */
  requests(): ReceivedRequest[] {
    return this.log.map((r) => ({ ...r }));
  }

  /**
   * Sets how requests that arrive from now on are treated; replaces the previous behaviour
   * (`setBehavior({})` restores normal service). Requests already in flight keep theirs.
   * @throws TypeError on an out-of-range `delayMs` or `failureRate`.
   */
  setBehavior(behavior: ReceiverBehavior): void {
    this.behavior = validateBehavior(behavior);
    // A forgetting middlebox sends nothing: no FIN from the server's own idle timeout either.
    this.server.keepAliveTimeout = this.behavior.forgetIdleConnectionsMs === undefined ? DEFAULT_KEEP_ALIVE_MS : 0;
  }

  /** False while {@link OtlpReceiver.stop | stopped} (connections refused). */
  get listening(): boolean {
    return this.server.listening;
  }

  /**
   * Takes the collector down: stops listening (new connections are refused with ECONNREFUSED)
   * and closes every open connection. {@link OtlpReceiver.resume} listens again on the same port.
   * What was received is kept.
   */
  stop(): Promise<void> {
    if (this.closing) return this.closing;
    this.stopped ??= new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.connections.destroyAll();
    });
    return this.stopped;
  }

  /**
   * Brings a {@link OtlpReceiver.stop | stopped} receiver back on the same port (no-op when it
   * is listening).
   * @throws Error when the port was taken by something else meanwhile, or after close().
   */
  async resume(): Promise<void> {
    if (this.closing) throw new Error('OtlpReceiver.resume: the receiver is closed');
    if (!this.stopped) return;
    await this.stopped;
    await listen(this.server, this.port);
    this.stopped = undefined;
  }

  /**
   * Resolves once `predicate(this)` is true; re-checked after every request and every 50 ms.
   * @throws Error after `timeoutMs` (with what was received so far), when the receiver closes,
   * or when the predicate throws.
   */
  waitFor(predicate: (rx: OtlpReceiver) => boolean, timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const done = (error?: Error): void => {
        if (settled) return;
        settled = true;
        clearInterval(interval);
        clearTimeout(timeout);
        this.listeners.delete(check);
        if (error) reject(error);
        else resolve();
      };
      const check = (): void => {
        try {
          if (predicate(this)) return done();
        } catch (error) {
          return done(error instanceof Error ? error : new Error(String(error)));
        }
        if (this.closing) done(new Error('OtlpReceiver.waitFor: receiver closed before the condition was met'));
      };
      const interval = setInterval(check, WAIT_POLL_MS);
      const timeout = setTimeout(() => {
        const { spans, metrics, logs } = this.received;
        done(
          new Error(
            `OtlpReceiver.waitFor: condition not met within ${timeoutMs} ms ` +
              `(received ${spans.length} spans, ${metrics.length} metric points, ${logs.length} log records in ${this.log.length} requests)`,
          ),
        );
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  /** Forgets everything received and every request logged (behaviour is kept). */
  clear(): void {
    this.received.spans.length = 0;
    this.received.metrics.length = 0;
    this.received.logs.length = 0;
    this.log.length = 0;
  }

  /** Stops listening and destroys every open connection, black-holed and delayed ones included. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
      this.server.close(() => resolve()); // called (with an error) when stopped: fine
      this.server.closeAllConnections();
      this.connections.destroyAll();
      for (const listener of [...this.listeners]) listener();
    });
    return this.closing;
  }

  private record(entry: ReceivedRequest): void {
    this.log.push(entry);
    for (const listener of [...this.listeners]) listener();
  }

  /** What the request handler needs of the receiver. */
  private readonly context: RequestContext = {
    behavior: () => this.behavior,
    connections: this.connections,
    maxBodyBytes: () => this.maxBodyBytes,
    sleep: (ms) => this.sleep(ms),
    record: (entry) => this.record(entry),
    store: (items) => {
      this.received.spans.push(...(items.spans ?? []));
      this.received.metrics.push(...(items.metrics ?? []));
      this.received.logs.push(...(items.logs ?? []));
    },
  };

  private sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.closing) return resolve(false);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve(!this.closing);
      }, ms);
      this.timers.add(timer);
    });
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`OtlpReceiver: port ${port} on 127.0.0.1 is already in use`, { cause: error })
          : new Error(`OtlpReceiver: cannot listen on 127.0.0.1:${port}: ${error.message}`, { cause: error }),
      );
    };
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve();
    });
  });
}
