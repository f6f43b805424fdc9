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
}

type Kind = 'string' | 'number' | 'object' | 'array';
/** Field name → kind; a `?` suffix on the name makes it optional. */
interface Shape {
  [field: string]: Kind | Shape;
}

const span: Shape = { name: 'string', 'start?': 'string', durationMs: 'number' };
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
    metrics: { durationMs: 'number' },
  },
  'platform.start': { requestId: 'string', 'version?': 'string' },
  'platform.runtimeDone': {
    requestId: 'string',
    status: 'string',
    'errorType?': 'string',
    'metrics?': { durationMs: 'number', 'producedBytes?': 'number' },
    'spans?': 'array',
  },
  'platform.report': {
    requestId: 'string',
    status: 'string',
    'errorType?': 'string',
    metrics: {
      durationMs: 'number',
      billedDurationMs: 'number',
      memorySizeMB: 'number',
      maxMemoryUsedMB: 'number',
      'initDurationMs?': 'number',
      'restoreDurationMs?': 'number',
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

function matches(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && value >= 0;
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
  }
}

/** Copies the fields of `shape` out of `value`, or returns undefined when one is wrong. */
function pick(value: unknown, shape: Shape): Record<string, unknown> | undefined {
  if (!isObject(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, kind] of Object.entries(shape)) {
    const optional = key.endsWith('?');
    const name = optional ? key.slice(0, -1) : key;
    const v = value[name];
    if (v === undefined || v === null) {
      if (optional) continue;
      return undefined;
    }
    if (typeof kind === 'object') {
      const inner = pick(v, kind);
      if (!inner) return undefined;
      out[name] = inner;
    } else {
      if (!matches(v, kind)) return undefined;
      out[name] = v;
    }
  }
  return out;
}

/** Keeps the well-formed entries of a `spans` array (bounded), drops the rest. */
function pickSpans(value: unknown): Record<string, unknown>[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: Record<string, unknown>[] = [];
  for (const s of value.slice(0, SPANS_MAX)) {
    const p = pick(s, span);
    if (p) out.push(p);
  }
  return out;
}

/** Validates one event; `undefined` record means invalid. */
function validateEvent(e: Record<string, unknown>, type: string): unknown {
  if (type === 'function' || type === 'extension') {
    if (typeof e.record === 'string') return e.record.slice(0, LOG_MAX_CHARS);
    if (isObject(e.record)) return e.record;
    return undefined;
  }
  const shape = Object.hasOwn(SHAPES, type) ? SHAPES[type] : undefined;
  if (!shape) return undefined;
  const record = pick(e.record, shape);
  if (record && 'spans' in record) record.spans = pickSpans(record.spans);
  return record;
}

/**
 * Validates a parsed Telemetry API body. The caller has already checked it is an array.
 * Never throws, whatever the input.
 */
export function validateBatch(body: unknown[]): BatchResult {
  const result: BatchResult = { events: [], unknown: 0, unused: 0, invalid: 0 };
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
    const record = Number.isFinite(time) ? validateEvent(item, type) : undefined;
    if (record === undefined) {
      result.invalid++;
      continue;
    }
    result.events.push({ time, type, record });
  }
  return result;
}
