// Small HTTP helpers for the simulator's API server: bounded body reads and JSON replies.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request body read up to a limit; bytes beyond it are counted and dropped. */
export interface BodyRead {
  body: Buffer;
  size: number;
  tooLarge: boolean;
  trailers: Record<string, string | undefined>;
}

/** Reads the whole body (chunked or not), keeping at most `limit` bytes in memory. */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (kept + chunk.length <= limit) {
        chunks.push(chunk);
        kept += chunk.length;
      }
    });
    req.on('end', () => resolve({ body: Buffer.concat(chunks), size, tooLarge: size > limit, trailers: req.trailers }));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('request aborted')));
  });
}

/** Parses JSON, or returns undefined. */
export function tryJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Replies with a JSON body (no-op when the connection is gone). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Replies with Lambda's error shape `{errorType, errorMessage}`. */
export function sendError(res: ServerResponse, status: number, errorType: string, errorMessage: string): void {
  sendJson(res, status, { errorType, errorMessage });
}

/** First value of a request header. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
