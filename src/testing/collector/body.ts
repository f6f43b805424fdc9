// Reading request bodies with a size cap, before and after decompression.
import type { IncomingMessage } from 'node:http';
import { gunzip } from 'node:zlib';

/** The body (compressed or not) is larger than the receiver accepts. */
export class BodyTooLargeError extends Error {
  constructor(limit: number) {
    super(`body exceeds ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** Result of reading a request body. */
export type ReadBody = { ok: true; body: Buffer } | { ok: false; bytes: number; error: Error };

/**
 * Reads the whole body, stopping (without buffering more) once it exceeds `limit` bytes.
 * Never rejects: an aborted or oversized request comes back as `ok: false`.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<ReadBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    const finish = (result: ReadBody): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > limit) {
        chunks.length = 0;
        req.pause();
        finish({ ok: false, bytes, error: new BodyTooLargeError(limit) });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish({ ok: true, body: Buffer.concat(chunks, bytes) }));
    req.once('error', (error) => finish({ ok: false, bytes, error }));
    req.once('close', () => finish({ ok: false, bytes, error: new Error('request aborted before its body ended') }));
  });
}

/** Gunzips `body`, failing with {@link BodyTooLargeError} when the output would exceed `limit`. */
export function gunzipCapped(body: Buffer, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    gunzip(body, { maxOutputLength: limit }, (error, out) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') reject(new BodyTooLargeError(limit));
      else if (error) reject(new Error(`invalid gzip body: ${error.message}`));
      else resolve(out);
    });
  });
}
