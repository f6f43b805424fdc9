// HTTP listener Lambda delivers Telemetry API batches to. Hostile input is answered and
// counted, never thrown: wrong method 405, wrong content type 415, bad JSON / not an array 400,
// too large 413 (connection destroyed), too slow 408 (connection destroyed).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ListenerStats, TelemetryEvent } from './protocol.js';
import { validateBatch } from './telemetry-validate.js';

/** Options of {@link startTelemetryListener}. */
export interface ListenerOptions {
  host: string;
  /** 0 for a random port. */
  port: number;
  /** Hard cap of one delivery's body, in bytes. */
  maxBodyBytes: number;
  /** Longest a body may take to arrive in full, in ms. */
  bodyTimeoutMs: number;
  /** Receives each batch's valid events (never an empty array). */
  onEvents: (events: TelemetryEvent[]) => void;
}

/** A running listener. */
export interface TelemetryListener {
  readonly port: number;
  readonly stats: ListenerStats;
  close(): Promise<void>;
}

/** Lambda can deliver up to 2 * maxBytes; this is what we accept on top, for framing. */
export const BODY_SLACK_BYTES = 64 * 1024;

function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const mime = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return mime === 'application/json';
}

/** Starts listening; rejects when the address cannot be bound. */
export async function startTelemetryListener(options: ListenerOptions): Promise<TelemetryListener> {
  const stats: ListenerStats = { batches: 0, events: 0, unknown: 0, invalid: 0, unused: 0, rejected: {} };
  const reject = (res: ServerResponse, status: number, message: string, destroy = false): void => {
    stats.rejected[status] = (stats.rejected[status] ?? 0) + 1;
    if (!res.headersSent) {
      res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' });
      res.end(message);
    }
    // Destroy only after the reply went out, so the sender sees the status rather than a reset.
    if (destroy) res.once('finish', () => res.req.destroy()).once('close', () => res.req.destroy());
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'POST') return reject(res, 405, 'POST only\n');
    if (!isJson(req.headers['content-type'])) return reject(res, 415, 'application/json only\n');
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > options.maxBodyBytes) return reject(res, 413, 'body too large\n', true);

    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      reject(res, 408, 'body too slow\n', true);
    }, options.bodyTimeoutMs);
    const finish = (): void => {
      done = true;
      clearTimeout(timer);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > options.maxBodyBytes) {
        finish();
        chunks.length = 0;
        reject(res, 413, 'body too large\n', true);
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', finish);
    req.on('close', finish);
    req.on('end', () => {
      if (done) return;
      finish();
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
      } catch {
        return reject(res, 400, 'invalid JSON\n');
      }
      if (!Array.isArray(body)) return reject(res, 400, 'expected a JSON array\n');
      const result = validateBatch(body);
      stats.batches++;
      stats.unknown += result.unknown;
      stats.unused += result.unused;
      stats.invalid += result.invalid;
      stats.events += result.events.length;
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('OK\n');
      if (result.events.length > 0) {
        try {
          options.onEvents(result.events);
        } catch {
          // A consumer failure must not take the listener down.
        }
      }
    });
  };

  const server: Server = createServer(
    { requestTimeout: options.bodyTimeoutMs * 2, headersTimeout: Math.min(options.bodyTimeoutMs * 2, 10_000), keepAliveTimeout: 5_000 },
    handle,
  );
  server.maxHeadersCount = 64;
  server.maxConnections = 256;
  server.on('clientError', (_err, socket) => {
    stats.rejected['400'] = (stats.rejected['400'] ?? 0) + 1;
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port, options.host, () => {
      server.off('error', rejectListen);
      resolve();
    });
  });
  server.on('error', () => {
    // Errors after listening (e.g. EMFILE on accept) are transient: keep serving.
  });
  server.unref();
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
