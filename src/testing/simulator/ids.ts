// Identifiers in the shapes Lambda uses.
import { randomBytes, randomUUID } from 'node:crypto';

/** A request id (UUID v4, as Lambda's). */
export function newRequestId(): string {
  return randomUUID();
}

/** An X-Ray trace header as Lambda passes it to the runtime (`Root=1-<time>-<24 hex>;Parent=...;Sampled=0`). */
export function newTraceHeader(): string {
  const time = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
  return `Root=1-${time}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
}

/** A log stream name like Lambda's: `YYYY/MM/DD/[$LATEST]<32 hex>`. */
export function newLogStreamName(version: string): string {
  const d = new Date();
  const day = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`;
  return `${day}/[${version}]${randomBytes(16).toString('hex')}`;
}
