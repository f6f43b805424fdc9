// Decoding a streamed HTTP integration response (awslambda.HttpResponseStream.from): a JSON
// prelude {statusCode, headers, cookies}, 8 NUL bytes, then the body.
import type { HttpStreamResponse } from './types.js';

/** The content type `HttpResponseStream.from()` sets. */
export const HTTP_INTEGRATION_TYPE = 'application/vnd.awslambda.http-integration-response';
const DELIMITER = Buffer.alloc(8);

function stringMap(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

/** The decoded response, or undefined when the bytes are not an HTTP integration stream. */
export function decodeHttpStream(bytes: Buffer, contentType: string | undefined): HttpStreamResponse | undefined {
  if (contentType?.split(';')[0]!.trim().toLowerCase() !== HTTP_INTEGRATION_TYPE) return undefined;
  const at = bytes.indexOf(DELIMITER);
  if (at < 0) return undefined;
  let prelude: unknown;
  try {
    prelude = JSON.parse(bytes.subarray(0, at).toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof prelude !== 'object' || prelude === null || Array.isArray(prelude)) return undefined;
  const p = prelude as Record<string, unknown>;
  const body = bytes.subarray(at + DELIMITER.length);
  return {
    statusCode: typeof p.statusCode === 'number' ? p.statusCode : 200,
    headers: stringMap(p.headers),
    cookies: Array.isArray(p.cookies) ? p.cookies.map(String) : [],
    body: body.toString('utf8'),
    bodyBytes: new Uint8Array(body),
  };
}
