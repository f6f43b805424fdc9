// One request to the Telemetry API listener, in small steps: check the path (the secret token),
// the method and the content type before reading anything; read the body within its size cap,
// its deadline and the listener-wide budget of bytes in flight; parse, validate, answer.
import { crypto } from './builtins.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ListenerStats, TelemetryEvent } from './protocol.js';
import { validateBatch } from './telemetry-validate.js';

/** What every request of one listener shares. */
export interface RequestContext {
  /** The subscription path, as bytes (compared in constant time). */
  readonly path: Buffer;
  readonly maxBodyBytes: number;
  readonly bodyTimeoutMs: number;
  /** Budget of body bytes held at once, across all requests. */
  readonly maxInFlightBytes: number;
  /** Body bytes held now (reserved or received), across all requests. */
  inFlightBytes: number;
  readonly stats: ListenerStats;
  readonly onEvents: (events: TelemetryEvent[]) => void;
}

/**
 * Answers `status` and closes the connection. `unread`: the body was not (fully) read, so the
 * socket is destroyed once the answer went out (the sender sees the status, not a reset).
 */
function refuse(ctx: RequestContext, res: ServerResponse, status: number, message: string, unread: boolean): void {
  ctx.stats.rejected[status] = (ctx.stats.rejected[status] ?? 0) + 1;
  if (!res.headersSent) {
    res.writeHead(status, { 'content-type': 'text/plain', connection: 'close', ...(status === 503 ? { 'retry-after': '1' } : {}) });
    res.end(message);
  }
  if (unread) res.once('finish', () => res.req.destroy()).once('close', () => res.req.destroy());
}

function isSubscriptionPath(ctx: RequestContext, url: string | undefined): boolean {
  const got = Buffer.from(url ?? '');
  return got.length === ctx.path.length && crypto().timingSafeEqual(got, ctx.path);
}

function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const mime = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return mime === 'application/json';
}

/** The refusal a request's head earns before its body is read, if any. */
function checkHead(ctx: RequestContext, req: IncomingMessage): [number, string] | undefined {
  if (!isSubscriptionPath(ctx, req.url)) return [404, 'not found\n'];
  if (req.method !== 'POST') return [405, 'POST only\n'];
  if (!isJson(req.headers['content-type'])) return [415, 'application/json only\n'];
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > ctx.maxBodyBytes) return [413, 'body too large\n'];
  return undefined;
}

/**
 * Reads the body into memory: at most `maxBodyBytes` (413), within `bodyTimeoutMs` (408),
 * while the bytes of all bodies being read stay within `maxInFlightBytes` (503). A declared
 * `content-length` is reserved up front; a chunked body grows its reservation as it arrives.
 */
function readBody(ctx: RequestContext, req: IncomingMessage, res: ServerResponse, onBody: (body: Buffer) => void): void {
  const declared = Number(req.headers['content-length']);
  let reserved = 0;
  const reserve = (bytes: number): boolean => {
    if (bytes <= reserved) return true;
    if (ctx.inFlightBytes + bytes - reserved > ctx.maxInFlightBytes) return false;
    ctx.inFlightBytes += bytes - reserved;
    reserved = bytes;
    if (ctx.inFlightBytes > ctx.stats.peakInFlightBytes) ctx.stats.peakInFlightBytes = ctx.inFlightBytes;
    return true;
  };
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    ctx.inFlightBytes -= reserved;
    reserved = 0;
    chunks.length = 0;
  };
  const fail = (status: number, message: string): void => {
    finish();
    refuse(ctx, res, status, message, true);
  };
  const timer = setTimeout(() => fail(408, 'body too slow\n'), ctx.bodyTimeoutMs);
  if (Number.isFinite(declared) && !reserve(declared)) return fail(503, 'busy\n');
  req.on('data', (chunk: Buffer) => {
    if (done) return;
    size += chunk.length;
    if (size > ctx.maxBodyBytes) return fail(413, 'body too large\n');
    if (!reserve(size)) return fail(503, 'busy\n');
    chunks.push(chunk);
  });
  req.on('error', finish);
  req.on('close', finish);
  req.on('end', () => {
    if (done) return;
    const body = Buffer.concat(chunks, size);
    finish();
    onBody(body);
  });
}

/** Parses and validates a complete body, counts it, answers, and hands the events on. */
function acceptBody(ctx: RequestContext, res: ServerResponse, body: Buffer): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return refuse(ctx, res, 400, 'invalid JSON\n', false);
  }
  if (!Array.isArray(parsed)) return refuse(ctx, res, 400, 'expected a JSON array\n', false);
  const result = validateBatch(parsed);
  const stats = ctx.stats;
  stats.batches++;
  stats.unknown += result.unknown;
  stats.unused += result.unused;
  stats.invalid += result.invalid;
  stats.outOfRange += result.outOfRange;
  stats.events += result.events.length;
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('OK\n');
  if (result.events.length === 0) return;
  try {
    ctx.onEvents(result.events);
  } catch {
    // A consumer failure must not take the listener down.
  }
}

/** Handles one request. Never throws. */
export function handleRequest(ctx: RequestContext, req: IncomingMessage, res: ServerResponse): void {
  const refusal = checkHead(ctx, req);
  if (refusal) return refuse(ctx, res, refusal[0], refusal[1], true);
  readBody(ctx, req, res, (body) => acceptBody(ctx, res, body));
}
