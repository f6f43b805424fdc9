// In-process OTLP/HTTP receiver for tests: decodes what exporters really send (JSON or protobuf,
// gzip or not), keeps it in memory, and can misbehave on purpose (delay, 503, reset, black hole).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { BodyTooLargeError, gunzipCapped, readBody } from './body.js';
import { decodeLogs, decodeMetrics, decodeSpans } from './decode.js';
import { decodeProtobufRequest, encodeProtobufStatus, type OtlpSignal } from './otlp-schema.js';
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

const SIGNAL_PATHS: Record<string, OtlpSignal> = { '/v1/traces': 'traces', '/v1/metrics': 'metrics', '/v1/logs': 'logs' };
const JSON_TYPE = 'application/json';
const PROTOBUF_TYPE = 'application/x-protobuf';
const DEFAULT_MAX_BODY = 16 * 1024 * 1024;
const WAIT_POLL_MS = 50;

// google.rpc.Code values used in error replies.
const RPC_CODE: Record<number, number> = { 400: 3, 404: 5, 405: 12, 413: 8, 415: 3, 500: 13, 503: 14 };

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

function matches(value: string, pattern: string | RegExp): boolean {
  return typeof pattern === 'string' ? value === pattern : pattern.test(value);
}

function validateBehavior(b: ReceiverBehavior): ReceiverBehavior {
  if (b.delayMs !== undefined && !(Number.isFinite(b.delayMs) && b.delayMs >= 0)) {
    throw new TypeError(`OtlpReceiver.setBehavior: delayMs must be a finite number >= 0, got ${String(b.delayMs)}`);
  }
  if (b.failureRate !== undefined && !(b.failureRate >= 0 && b.failureRate <= 1)) {
    throw new TypeError(`OtlpReceiver.setBehavior: failureRate must be between 0 and 1, got ${String(b.failureRate)}`);
  }
  return { ...b };
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
  private readonly sockets = new Set<Socket>();
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
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((error: unknown) => {
        // A bug here must not take the test process down; answer 500 if still possible.
        if (!res.headersSent && !res.destroyed) this.reply(res, 500, PROTOBUF_TYPE === mediaType(req.headers['content-type']), String(error));
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
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          error.code === 'EADDRINUSE'
            ? new Error(`OtlpReceiver: port ${port} on 127.0.0.1 is already in use`, { cause: error })
            : new Error(`OtlpReceiver: cannot listen on 127.0.0.1:${port}: ${error.message}`, { cause: error }),
        );
      });
      server.listen(port, '127.0.0.1', () => resolve());
    });
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
      this.server.close(() => resolve());
      this.server.closeAllConnections();
      for (const socket of this.sockets) socket.destroy();
      for (const listener of [...this.listeners]) listener();
    });
    return this.closing;
  }

  private record(entry: ReceivedRequest): void {
    this.log.push(entry);
    for (const listener of [...this.listeners]) listener();
  }

  private reply(res: ServerResponse, status: number, protobuf: boolean, message?: string): void {
    const headers: Record<string, string> = { 'content-type': protobuf ? PROTOBUF_TYPE : JSON_TYPE };
    if (status === 405) headers.allow = 'POST';
    if (status === 413) headers.connection = 'close';
    let body: Uint8Array | string;
    if (status === 200) body = protobuf ? new Uint8Array(0) : '{}';
    else {
      const code = RPC_CODE[status] ?? 2;
      body = protobuf ? encodeProtobufStatus(code, message ?? '') : JSON.stringify({ code, message: message ?? '' });
    }
    res.writeHead(status, headers).end(body);
  }

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

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const behavior = this.behavior;
    const contentType = mediaType(req.headers['content-type']);
    const protobuf = contentType === PROTOBUF_TYPE;
    const entry: ReceivedRequest = {
      path: (req.url ?? '/').split('?')[0]!,
      method: req.method ?? '',
      contentType,
      contentEncoding: (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase(),
      status: undefined,
      bytes: 0,
      at: Date.now(),
      outcome: 'rejected',
    };
    const reject = (status: number, error: string, outcome: 'rejected' | 'failed' = 'rejected'): void => {
      entry.status = status;
      entry.outcome = outcome;
      entry.error = error;
      this.reply(res, status, protobuf, error);
      this.record(entry);
    };
    const signal = SIGNAL_PATHS[entry.path];
    if (signal === undefined) return reject(404, `unknown path ${entry.path}; OTLP/HTTP paths are /v1/traces, /v1/metrics and /v1/logs`);
    if (entry.method !== 'POST') return reject(405, `method ${entry.method} not allowed; use POST`);
    if (contentType !== JSON_TYPE && !protobuf) return reject(415, `unsupported content type '${contentType}'; use ${JSON_TYPE} or ${PROTOBUF_TYPE}`);
    if (entry.contentEncoding !== 'gzip' && entry.contentEncoding !== 'identity') {
      return reject(415, `unsupported content encoding '${entry.contentEncoding}'; use gzip or identity`);
    }

    const read = await readBody(req, this.maxBodyBytes);
    if (!read.ok) {
      entry.bytes = read.bytes;
      if (read.error instanceof BodyTooLargeError) return reject(413, read.error.message);
      entry.error = read.error.message; // client went away: nothing to answer
      return this.record(entry);
    }
    entry.bytes = read.body.length;

    if (behavior.blackHole) {
      entry.outcome = 'black-hole';
      return this.record(entry); // never answered; close() destroys the socket
    }
    if (behavior.delayMs && !(await this.sleep(behavior.delayMs))) return;
    if (behavior.resetConnections) {
      entry.outcome = 'reset';
      this.record(entry);
      req.socket.resetAndDestroy();
      return;
    }
    if (behavior.failureRate && Math.random() < behavior.failureRate) {
      return reject(503, 'injected failure (OtlpReceiver failureRate)', 'failed');
    }

    let items: { spans?: ReceivedSpan[]; metrics?: ReceivedMetricPoint[]; logs?: ReceivedLogRecord[] };
    try {
      const raw = entry.contentEncoding === 'gzip' ? await gunzipCapped(read.body, this.maxBodyBytes) : read.body;
      items = decodeRequest(signal, protobuf, raw);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return reject(413, error.message);
      return reject(400, `cannot decode ${protobuf ? 'protobuf' : 'JSON'} ${signal} request: ${(error as Error).message}`);
    }
    this.received.spans.push(...(items.spans ?? []));
    this.received.metrics.push(...(items.metrics ?? []));
    this.received.logs.push(...(items.logs ?? []));
    entry.status = 200;
    entry.outcome = 'accepted';
    this.reply(res, 200, protobuf);
    this.record(entry);
  }
}

function decodeRequest(
  signal: OtlpSignal,
  protobuf: boolean,
  raw: Buffer,
): { spans?: ReceivedSpan[]; metrics?: ReceivedMetricPoint[]; logs?: ReceivedLogRecord[] } {
  let request: unknown;
  if (protobuf) request = decodeProtobufRequest(signal, raw);
  else {
    request = JSON.parse(raw.toString('utf8'));
    if (typeof request !== 'object' || request === null || Array.isArray(request)) throw new Error('body is not a JSON object');
  }
  const obj = request as Record<string, unknown>;
  if (signal === 'traces') return { spans: decodeSpans(obj) };
  if (signal === 'metrics') return { metrics: decodeMetrics(obj) };
  return { logs: decodeLogs(obj) };
}
