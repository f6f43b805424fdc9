// Item counts and estimated encoded sizes of export batches, for the keep bounds. The estimate
// walks names and attributes (what makes OTLP requests large) with a fixed per-item overhead;
// it needs no serializer and stays within a small factor of the JSON encoding.

const ITEM_OVERHEAD = 160;
const MAX_DEPTH = 4;

function valueBytes(value: unknown, depth = 0): number {
  switch (typeof value) {
    case 'string':
      return value.length + 16;
    case 'number':
    case 'boolean':
    case 'bigint':
      return 24;
    case 'object': {
      if (value === null || depth >= MAX_DEPTH) return 8;
      if (value instanceof Uint8Array) return value.byteLength * 2 + 16;
      let n = 16;
      if (Array.isArray(value)) for (const v of value) n += valueBytes(v, depth + 1);
      else for (const [k, v] of Object.entries(value)) n += k.length + valueBytes(v, depth + 1);
      return n;
    }
    default:
      return 8;
  }
}

function attributesBytes(attrs: unknown): number {
  if (typeof attrs !== 'object' || attrs === null) return 0;
  let n = 0;
  for (const [k, v] of Object.entries(attrs)) n += k.length + valueBytes(v) + 16;
  return n;
}

interface SpanLike {
  name?: string;
  attributes?: unknown;
  events?: Array<{ name?: string; attributes?: unknown }>;
  links?: Array<{ attributes?: unknown }>;
  body?: unknown;
}

function spanOrLogBytes(item: SpanLike): number {
  let n = ITEM_OVERHEAD + (typeof item.name === 'string' ? item.name.length : 0) + attributesBytes(item.attributes);
  if (Array.isArray(item.events)) for (const e of item.events) n += 48 + (e.name?.length ?? 0) + attributesBytes(e.attributes);
  if (Array.isArray(item.links)) for (const l of item.links) n += 64 + attributesBytes(l.attributes);
  if (item.body !== undefined) n += valueBytes(item.body);
  return n;
}

interface ResourceMetricsLike {
  scopeMetrics?: Array<{ metrics?: Array<{ descriptor?: { name?: string }; dataPoints?: Array<{ attributes?: unknown; value?: unknown }> }> }>;
}

/** Items and estimated bytes of a batch: an array of spans / log records, or a ResourceMetrics. */
export function measureBatch(items: unknown): { count: number; bytes: number } {
  if (Array.isArray(items)) {
    let bytes = 0;
    for (const item of items) bytes += typeof item === 'object' && item !== null ? spanOrLogBytes(item as SpanLike) : ITEM_OVERHEAD;
    return { count: items.length, bytes };
  }
  const rm = items as ResourceMetricsLike | null;
  let count = 0;
  let bytes = 0;
  for (const scope of rm?.scopeMetrics ?? []) {
    for (const metric of scope.metrics ?? []) {
      bytes += 64 + (metric.descriptor?.name?.length ?? 0);
      for (const point of metric.dataPoints ?? []) {
        count++;
        bytes += 64 + attributesBytes(point.attributes) + valueBytes(point.value);
      }
    }
  }
  return { count, bytes };
}
