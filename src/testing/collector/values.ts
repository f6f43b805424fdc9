// Lenient readers for OTLP fields, shared by the JSON and protobuf paths. Both arrive as plain
// objects with lowerCamelCase keys; they differ in how ids, bytes and 64-bit integers look.
import type { ReceivedAttributes } from './types.js';

/** A body that is well-formed on the wire but not a valid OTLP request. */
export class OtlpShapeError extends Error {
  constructor(path: string, expected: string, got: unknown) {
    super(`${path}: expected ${expected}, got ${describe(got)}`);
    this.name = 'OtlpShapeError';
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Uint8Array) return 'bytes';
  return typeof value;
}

type Obj = Record<string, unknown>;

/** Reads `key` in lowerCamelCase, falling back to snake_case (accepted by proto3 JSON parsers). */
export function field(obj: Obj, key: string): unknown {
  const value = obj[key];
  if (value !== undefined) return value;
  return obj[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
}

/** An object (or `{}` when absent). */
export function asObject(value: unknown, path: string): Obj {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
    throw new OtlpShapeError(path, 'object', value);
  }
  return value as Obj;
}

/** An array (or `[]` when absent). */
export function asArray(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OtlpShapeError(path, 'array', value);
  return value;
}

/** A string, `undefined` when absent or empty (proto3 does not tell empty from unset). */
export function optString(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new OtlpShapeError(path, 'string', value);
  return value;
}

const UINT_RE = /^-?\d+$/;

/**
 * A 64-bit integer as a decimal string: accepts decimal strings, numbers, bigints and
 * protobufjs-style `{ low, high }` pairs. `undefined` when absent.
 */
export function optInt64(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && UINT_RE.test(value)) return BigInt(value).toString();
  if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.trunc(value)).toString();
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'object' && 'low' in value && 'high' in value) {
    const { low, high } = value as { low: number; high: number };
    return ((BigInt(high >>> 0) << 32n) | BigInt(low >>> 0)).toString();
  }
  throw new OtlpShapeError(path, 'a 64-bit integer', value);
}

/** A number from a JSON number, a numeric string (int64 or "NaN"/"Infinity") or an int64. */
export function optNumber(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  if (value === 'NaN') return NaN;
  const int = optInt64(value, path);
  return int === undefined ? undefined : Number(int);
}

/** Unix nanoseconds → a string, `'0'` when absent (proto3 default). */
export function nanos(value: unknown, path: string): string {
  return optInt64(value, path) ?? '0';
}

/** Unix nanoseconds, `undefined` when absent or zero. */
export function optNanos(value: unknown, path: string): string | undefined {
  const n = optInt64(value, path);
  return n === undefined || n === '0' ? undefined : n;
}

const HEX_RE = /^[0-9a-fA-F]*$/;

/**
 * A trace/span id as lowercase hex. JSON OTLP sends hex; some encoders send base64 (the proto3
 * JSON default for bytes), and protobuf gives raw bytes. `undefined` when absent, empty or zero.
 */
export function optId(value: unknown, path: string, byteLength: number): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let hex: string;
  if (value instanceof Uint8Array) hex = Buffer.from(value).toString('hex');
  else if (typeof value === 'string' && value.length === byteLength * 2 && HEX_RE.test(value)) hex = value.toLowerCase();
  else if (typeof value === 'string') hex = Buffer.from(value, 'base64').toString('hex');
  else throw new OtlpShapeError(path, 'an id (hex string or bytes)', value);
  if (hex.length === 0 || /^0+$/.test(hex)) return undefined;
  if (hex.length !== byteLength * 2) throw new OtlpShapeError(path, `a ${byteLength}-byte id`, value);
  return hex;
}

/** An enum value as a number; names such as `SPAN_KIND_SERVER` map through `names`. */
export function enumValue(value: unknown, path: string, names: readonly string[]): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string') {
    const index = names.indexOf(value);
    if (index >= 0) return index;
    if (/^\d+$/.test(value)) return Number(value);
  }
  throw new OtlpShapeError(path, `one of ${names.join(', ')}`, value);
}

function bytesOf(value: unknown, path: string): Uint8Array {
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (typeof value === 'string') return new Uint8Array(Buffer.from(value, 'base64'));
  throw new OtlpShapeError(path, 'bytes (base64 string)', value);
}

// Nested arrays/kvlists are bounded by the body size cap, but not their depth: cap it so a
// hostile body cannot blow the stack.
const MAX_DEPTH = 64;

/** Decodes an OTLP `AnyValue` to a plain JS value. */
export function anyValue(value: unknown, path: string, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new OtlpShapeError(path, `nesting below ${MAX_DEPTH} levels`, value);
  const v = asObject(value, path);
  const s = field(v, 'stringValue');
  if (s !== undefined) {
    if (typeof s !== 'string') throw new OtlpShapeError(`${path}.stringValue`, 'string', s);
    return s;
  }
  const b = field(v, 'boolValue');
  if (b !== undefined) {
    if (typeof b !== 'boolean') throw new OtlpShapeError(`${path}.boolValue`, 'boolean', b);
    return b;
  }
  const i = field(v, 'intValue');
  if (i !== undefined) {
    const str = optInt64(i, `${path}.intValue`) as string;
    const num = Number(str);
    return Number.isSafeInteger(num) ? num : str;
  }
  const d = field(v, 'doubleValue');
  if (d !== undefined) return optNumber(d, `${path}.doubleValue`);
  const arr = field(v, 'arrayValue');
  if (arr !== undefined) {
    const values = asArray(field(asObject(arr, `${path}.arrayValue`), 'values'), `${path}.arrayValue.values`);
    return values.map((item, n) => anyValue(item, `${path}.arrayValue.values[${n}]`, depth + 1));
  }
  const kv = field(v, 'kvlistValue');
  if (kv !== undefined) {
    return keyValues(field(asObject(kv, `${path}.kvlistValue`), 'values'), `${path}.kvlistValue.values`, depth + 1);
  }
  const bytes = field(v, 'bytesValue');
  if (bytes !== undefined) return bytesOf(bytes, `${path}.bytesValue`);
  return undefined;
}

/** Decodes a repeated `KeyValue` into a record. */
export function keyValues(list: unknown, path: string, depth = 0): ReceivedAttributes {
  const out: ReceivedAttributes = {};
  asArray(list, path).forEach((item, n) => {
    const kv = asObject(item, `${path}[${n}]`);
    const key = field(kv, 'key');
    if (typeof key !== 'string') throw new OtlpShapeError(`${path}[${n}].key`, 'string', key);
    out[key] = anyValue(field(kv, 'value'), `${path}[${n}].value`, depth);
  });
  return out;
}
