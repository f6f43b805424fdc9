// Serving one OTLP/HTTP request: validation, the injected faults of the current behaviour,
// decoding, and storing only what the client will see acknowledged.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, gunzipCapped, readBody } from './body.js';
import { decodeLogs, decodeMetrics, decodeSpans } from './decode.js';
import { drawFault, type Connections } from './network.js';
import { decodeProtobufRequest, type OtlpSignal } from './otlp-schema.js';
import { JSON_TYPE, PROTOBUF_TYPE, reply } from './reply.js';
import type { ReceivedLogRecord, ReceivedMetricPoint, ReceivedRequest, ReceivedSpan, ReceiverBehavior, RequestOutcome } from './types.js';

const SIGNAL_PATHS: Record<string, OtlpSignal> = { '/v1/traces': 'traces', '/v1/metrics': 'metrics', '/v1/logs': 'logs' };

/** Decoded items of one request. */
export interface RequestItems {
  spans?: ReceivedSpan[];
  metrics?: ReceivedMetricPoint[];
  logs?: ReceivedLogRecord[];
}

/** The receiver's side of a request: its behaviour, connections, log and store. */
export interface RequestContext {
  behavior(): ReceiverBehavior;
  connections: Connections;
  maxBodyBytes(): number;
  /** Resolves false when the receiver closed meanwhile. */
  sleep(ms: number): Promise<boolean>;
  record(entry: ReceivedRequest): void;
  store(items: RequestItems): void;
}

/** The media type without parameters, lowercase. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

export async function handleRequest(ctx: RequestContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
const behavior = ctx.behavior();
  const forgotten = ctx.connections.begin(req.socket, behavior.forgetIdleConnectionsMs);
  // 'close' before the answer was written: the client gave up (its timeout) or the link died.
  let gone = false;
  res.once('close', () => {
    if (!res.writableFinished) gone = true;
    ctx.connections.end(req.socket);
  });
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
  if (forgotten) {
    // What a client sees when a NAT or load balancer dropped the idle connection: a reset.
    entry.outcome = 'forgotten';
    ctx.record(entry);
    req.socket.resetAndDestroy();
    return;
  }
  const reject = (status: number, error: string, outcome: RequestOutcome = 'rejected', headers?: Record<string, string>): void => {
    entry.status = status;
    entry.outcome = outcome;
    entry.error = error;
    reply(res, status, protobuf, error, headers);
    ctx.record(entry);
  };
  const signal = SIGNAL_PATHS[entry.path];
  if (signal === undefined) return reject(404, `unknown path ${entry.path}; OTLP/HTTP paths are /v1/traces, /v1/metrics and /v1/logs`);
  if (entry.method !== 'POST') return reject(405, `method ${entry.method} not allowed; use POST`);
  if (contentType !== JSON_TYPE && !protobuf) return reject(415, `unsupported content type '${contentType}'; use ${JSON_TYPE} or ${PROTOBUF_TYPE}`);
  if (entry.contentEncoding !== 'gzip' && entry.contentEncoding !== 'identity') {
    return reject(415, `unsupported content encoding '${entry.contentEncoding}'; use gzip or identity`);
  }

  const read = await readBody(req, ctx.maxBodyBytes());
  if (!read.ok) {
    entry.bytes = read.bytes;
    if (read.error instanceof BodyTooLargeError) return reject(413, read.error.message);
    entry.error = read.error.message; // client went away: nothing to answer
    return ctx.record(entry);
  }
  entry.bytes = read.body.length;

  if (behavior.blackHole) {
    entry.outcome = 'black-hole';
    return ctx.record(entry); // never answered; close() destroys the socket
  }
  if (behavior.delayMs && !(await ctx.sleep(behavior.delayMs))) return;
  const fault = gone ? undefined : drawFault(behavior);
  if (fault === 'reset') {
    entry.outcome = 'reset';
    ctx.record(entry);
    req.socket.resetAndDestroy();
    return;
  }
  if (fault === 'unavailable') return reject(503, 'injected failure (OtlpReceiver failureRate)', 'failed');
  if (fault === 'throttled') {
    return reject(429, 'injected throttling (OtlpReceiver throttleRate)', 'throttled', { 'retry-after': String(behavior.retryAfterSeconds ?? 1) });
  }

  let items: RequestItems;
  try {
    const raw = entry.contentEncoding === 'gzip' ? await gunzipCapped(read.body, ctx.maxBodyBytes()) : read.body;
    items = decodeRequest(signal, protobuf, raw);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return reject(413, error.message);
    return reject(400, `cannot decode ${protobuf ? 'protobuf' : 'JSON'} ${signal} request: ${(error as Error).message}`);
  }
  if (gone || req.socket.destroyed) {
    // The client gave up before the answer: it counts the batch as failed, so must the receiver.
    entry.outcome = 'abandoned';
    entry.error = 'the client closed the connection before the answer';
    return ctx.record(entry);
  }
  ctx.store(items);
  entry.status = 200;
  entry.outcome = 'accepted';
  reply(res, 200, protobuf);
  ctx.record(entry);
}

function decodeRequest(
  signal: OtlpSignal,
  protobuf: boolean,
  raw: Buffer,
): RequestItems {
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
