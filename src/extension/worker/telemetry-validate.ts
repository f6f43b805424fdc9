// Validation of Telemetry API deliveries: keep what we use, in a known shape; count the rest.
import type { TelemetryEvent } from './protocol.js';

/** Outcome of validating one parsed batch. */
export interface BatchResult {
  events: TelemetryEvent[];
  /** Event types we do not know. */
  unknown: number;
  /** Known types we do not use (extension, telemetrySubscription, logsDropped, restore*). */
  unused: number;
  /** Events with wrong field types or missing required fields. */
  invalid: number;
  /** Well-typed events with a value Lambda cannot produce (dropped, also counted in `invalid`). */
  outOfRange: number;
}

/**
 * Field kinds. Every number is bounded to what Lambda can produce (a forged value must not
 * reach a histogram), every string to a length: `ms` a duration (an invoke lasts at most
 * 15 min; init and extension phases are shorter), `memMb` a memory size (128..10240 MB),
 * `usedMb` memory used, `bytes` a response size (streamed responses go up to 200 MiB),
 * `id` a request id (a longer one is refused), `string` any other text (cut to
 * {@link MAX_STRING_CHARS}: a long error type must not cost the invoke its count).
 */
type Kind = 'string' | 'id' | 'ms' | 'memMb' | 'usedMb' | 'bytes' | 'object' | 'array';
/** Field name → kind; a `?` suffix on the name makes it optional. */
interface Shape {
  [field: string]: Kind | Shape;
}

/** Upper bound of any duration: the 15 min invoke limit plus slack for clock and rounding. */
export const MAX_DURATION_MS = 16 * 60 * 1000;
/** Lambda's memory sizes, in MB. */
export const MEMORY_MB = [128, 10_240] as const;
/** Largest response: 200 MiB streamed, plus slack. */
export const MAX_PRODUCED_BYTES = 256 * 1024 * 1024;
/** Longest request id kept (Lambda's are 36-character UUIDs). */
export const MAX_ID_CHARS = 128;
/** Longest other string field kept (statuses, versions, error types); longer ones are cut. */
export const MAX_STRING_CHARS = 256;

const RANGES: Record<'ms' | 'memMb' | 'usedMb' | 'bytes', readonly [number, number]> = {
  ms: [0, MAX_DURATION_MS],
  memMb: MEMORY_MB,
  usedMb: [0, MEMORY_MB[1]],
  bytes: [0, MAX_PRODUCED_BYTES],
};

const span: Shape = { name: 'string', 'start?': 'string', durationMs: 'ms' };
const SPANS_MAX = 16;

const SHAPES: Record<string, Shape> = {
  'platform.initStart': {
    initializationType: 'string',
    'phase?': 'string',
    'functionName?': 'string',
    'functionVersion?': 'string',
    'runtimeVersion?': 'string',
  },
  'platform.initRuntimeDone': { status: 'string', 'initializationType?': 'string', 'phase?': 'string', 'errorType?': 'string' },
  'platform.initReport': {
    'initializationType?': 'string',
    'phase?': 'string',
    'status?': 'string',
    'errorType?': 'string',
    metrics: { durationMs: 'ms' },
  },
  'platform.start': { requestId: 'id', 'version?': 'string' },
  'platform.runtimeDone': {
    requestId: 'id',
    status: 'string',
    'errorType?': 'string',
    'metrics?': { durationMs: 'ms', 'producedBytes?': 'bytes' },
    'spans?': 'array',
  },
  'platform.report': {
    requestId: 'id',
    status: 'string',
    'errorType?': 'string',
    metrics: {
      durationMs: 'ms',
      billedDurationMs: 'ms',
      memorySizeMB: 'memMb',
      maxMemoryUsedMB: 'usedMb',
      'initDurationMs?': 'ms',
      'restoreDurationMs?': 'ms',
    },
    'spans?': 'array',
  },
};

const UNUSED = new Set([
  'platform.extension',
  'platform.telemetrySubscription',
  'platform.logsDropped',
  'platform.restoreStart',
  'platform.restoreRuntimeDone',
  'platform.restoreReport',
]);

/** Longest log line forwarded, in characters (Lambda caps lines at 256 KiB anyway). */
const LOG_MAX_CHARS = 256 * 1024;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Why a field was refused: its type, or its value (well-typed but impossible). */
type Refusal = 'type' | 'range';

function check(value: unknown, kind: Kind): Refusal | undefined {
  switch (kind) {
    case 'string':
    case 'id':
      if (typeof value !== 'string') return 'type';
      return kind === 'string' || value.length <= MAX_ID_CHARS ? undefined : 'range';
    case 'object':
      return isObject(value) ? undefined : 'type';
    case 'array':
      return Array.isArray(value) ? undefined : 'type';
    default: {
      if (typeof value !== 'number' || Number.isNaN(value)) return 'type';
      const [min, max] = RANGES[kind];
      return value >= min && value <= max ? undefined : 'range';
    }
  }
}

/** Copies the fields of `shape` out of `value`, or says why one is wrong. */
function pick(value: unknown, shape: Shape): Record<string, unknown> | Refusal {
  if (!isObject(value)) return 'type';
  const out: Record<string, unknown> = {};
  for (const [key, kind] of Object.entries(shape)) {
    const optional = key.endsWith('?');
    const name = optional ? key.slice(0, -1) : key;
    const v = value[name];
    if (v === undefined || v === null) {
      if (optional) continue;
      return 'type';
    }
    let picked = typeof kind === 'object' ? pick(v, kind) : (check(v, kind) ?? v);
    if (kind === 'string') picked = (picked as string).slice(0, MAX_STRING_CHARS);
    if (picked === 'type' || picked === 'range') return picked;
    out[name] = picked;
  }
  return out;
}

/** Keeps the well-formed entries of a `spans` array (bounded), drops the rest. */
function pickSpans(value: unknown): Record<string, unknown>[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: Record<string, unknown>[] = [];
  for (const s of value.slice(0, SPANS_MAX)) {
    const p = pick(s, span);
    if (typeof p === 'object') out.push(p);
  }
  return out;
}

/** Validates one event's record: the record to forward, or why it is refused. */
function validateEvent(e: Record<string, unknown>, type: string): { record: unknown } | Refusal {
  if (type === 'function' || type === 'extension') {
    if (typeof e.record === 'string') return { record: e.record.slice(0, LOG_MAX_CHARS) };
    if (isObject(e.record)) return { record: e.record };
    return 'type';
  }
  const shape = Object.hasOwn(SHAPES, type) ? SHAPES[type] : undefined;
  if (!shape) return 'type';
  const record = pick(e.record, shape);
  if (typeof record !== 'object') return record;
  if ('spans' in record) record.spans = pickSpans(record.spans);
  return { record };
}

/**
 * Validates a parsed Telemetry API body. The caller has already checked it is an array.
 * Never throws, whatever the input.
 */
export function validateBatch(body: unknown[]): BatchResult {
  const result: BatchResult = { events: [], unknown: 0, unused: 0, invalid: 0, outOfRange: 0 };
  for (const item of body) {
    if (!isObject(item) || typeof item.type !== 'string') {
      result.invalid++;
      continue;
    }
    const type = item.type;
    if (UNUSED.has(type)) {
      result.unused++;
      continue;
    }
    if (!Object.hasOwn(SHAPES, type) && type !== 'function' && type !== 'extension') {
      result.unknown++;
      continue;
    }
    const time = typeof item.time === 'string' ? Date.parse(item.time) : NaN;
    const picked = Number.isFinite(time) ? validateEvent(item, type) : 'type';
    if (typeof picked !== 'object') {
      result.invalid++;
      if (picked === 'range') result.outOfRange++;
      continue;
    }
    result.events.push({ time, type, record: picked.record });
  }
  return result;
}
