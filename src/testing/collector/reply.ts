// OTLP/HTTP replies: 200 with an empty message, errors as a google.rpc.Status (JSON or protobuf).
import type { ServerResponse } from 'node:http';
import { encodeProtobufStatus } from './otlp-schema.js';

/** `application/json`. */
export const JSON_TYPE = 'application/json';
/** `application/x-protobuf`. */
export const PROTOBUF_TYPE = 'application/x-protobuf';

// google.rpc.Code values used in error replies.
const RPC_CODE: Record<number, number> = { 400: 3, 404: 5, 405: 12, 413: 8, 415: 3, 429: 8, 500: 13, 503: 14 };

/** Writes an OTLP reply; `extra` headers (e.g. `retry-after`) are added as given. */
export function reply(res: ServerResponse, status: number, protobuf: boolean, message?: string, extra: Record<string, string> = {}): void {
  const headers: Record<string, string> = { 'content-type': protobuf ? PROTOBUF_TYPE : JSON_TYPE, ...extra };
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
