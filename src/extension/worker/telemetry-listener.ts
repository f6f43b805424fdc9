// HTTP listener Lambda delivers Telemetry API batches to. Only Lambda knows its path (a random
// token sent in the subscription), and everything else about it is bounded, so that another
// process of the sandbox can neither feed it made-up events nor crowd Lambda's deliveries out.
// Hostile input is answered and counted, never thrown: wrong path 404, wrong method 405, wrong
// content type 415, bad JSON / not an array 400, too large 413, too slow 408, too many bytes in
// flight 503 (the connection is closed after each refusal).
import type { Server } from 'node:http';
import { crypto, http } from './builtins.js';
import type { AddressInfo } from 'node:net';
import { trackConnections } from './listener-connections.js';
import { handleRequest, type RequestContext } from './listener-request.js';
import type { ListenerStats, TelemetryEvent } from './protocol.js';

/** Options of {@link startTelemetryListener}. */
export interface ListenerOptions {
  host: string;
  /** 0 for a free port. */
  port: number;
  /** Hard cap of one delivery's body, in bytes. */
  maxBodyBytes: number;
  /** Longest a body may take to arrive in full, in ms. */
  bodyTimeoutMs: number;
  /** Receives each batch's valid events (never an empty array). */
  onEvents: (events: TelemetryEvent[]) => void;
  /** The one path accepted. Default `/telemetry/` + 32 random hex digits. */
  path?: string;
  /** Body bytes held at once across all requests. Default 2 × `maxBodyBytes`. */
  maxInFlightBytes?: number;
  /** Open connections kept; a new one evicts the oldest idle one. Default {@link MAX_CONNECTIONS}. */
  maxConnections?: number;
}

/** A running listener. */
export interface TelemetryListener {
  readonly port: number;
  /** The path to subscribe with (the only one answered). */
  readonly path: string;
  readonly stats: ListenerStats;
  close(): Promise<void>;
}

/** Lambda can deliver up to 2 * maxBytes; this is what we accept on top, for framing. */
export const BODY_SLACK_BYTES = 64 * 1024;
/** Default cap of open connections (Lambda uses one at a time). */
export const MAX_CONNECTIONS = 32;
/** Longest the request line and headers may take (Lambda sends them at once), in ms. */
export const HEADERS_TIMEOUT_MS = 2000;
/** Idle keep-alive connections are closed after this, in ms. */
export const KEEP_ALIVE_TIMEOUT_MS = 5000;

/** A fresh unguessable subscription path: `/telemetry/<32 hex digits>` (128 random bits). */
export function randomTelemetryPath(): string {
  return `/telemetry/${crypto().randomBytes(16).toString('hex')}`;
}

/** Empty listener counters. */
export function emptyListenerStats(): ListenerStats {
  return { batches: 0, events: 0, unknown: 0, invalid: 0, outOfRange: 0, unused: 0, peakInFlightBytes: 0, evicted: 0, rejected: {} };
}

function createListenerServer(ctx: RequestContext, maxConnections: number): Server {
  const server = http().createServer(
    {
      headersTimeout: HEADERS_TIMEOUT_MS,
      requestTimeout: ctx.bodyTimeoutMs + HEADERS_TIMEOUT_MS,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      // The header and request timeouts are enforced by this periodic check (default 30 s).
      connectionsCheckingInterval: 500,
      maxHeaderSize: 8 * 1024,
    },
    (req, res) => handleRequest(ctx, req, res),
  );
  server.maxHeadersCount = 64;
  server.maxRequestsPerSocket = 10_000;
  trackConnections(server, maxConnections, ctx.stats);
  server.on('clientError', (_err, socket) => {
    ctx.stats.rejected['400'] = (ctx.stats.rejected['400'] ?? 0) + 1;
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  return server;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(port, host, () => {
      server.off('error', rejectListen);
      resolve();
    });
  });
}

/** Starts listening; rejects when the address cannot be bound. */
export async function startTelemetryListener(options: ListenerOptions): Promise<TelemetryListener> {
  const path = options.path ?? randomTelemetryPath();
  const stats = emptyListenerStats();
  const ctx: RequestContext = {
    path: Buffer.from(path),
    maxBodyBytes: options.maxBodyBytes,
    bodyTimeoutMs: options.bodyTimeoutMs,
    maxInFlightBytes: options.maxInFlightBytes ?? 2 * options.maxBodyBytes,
    inFlightBytes: 0,
    stats,
    onEvents: options.onEvents,
  };
  const server = createListenerServer(ctx, options.maxConnections ?? MAX_CONNECTIONS);
  await listen(server, options.port, options.host);
  server.on('error', () => {
    // Errors after listening (e.g. EMFILE on accept) are transient: keep serving.
  });
  server.unref();
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    path,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
