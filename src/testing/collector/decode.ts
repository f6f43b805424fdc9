// Turns a decoded export request (from JSON or protobuf, see values.ts) into the receiver's
// flat records: one per span, per metric data point, per log record, each carrying its
// resource and scope.
import type {
  ReceivedAttributes,
  ReceivedExponentialBuckets,
  ReceivedLogRecord,
  ReceivedMetricPoint,
  ReceivedScope,
  ReceivedSpan,
  ReceivedSpanKind,
} from './types.js';
import {
  asArray,
  asObject,
  enumValue,
  field,
  keyValues,
  nanos,
  optId,
  optInt64,
  optNanos,
  optNumber,
  optString,
  anyValue,
  OtlpShapeError,
} from './values.js';

type Obj = Record<string, unknown>;

const SPAN_KINDS = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'] as const;
const KIND_NAMES: ReceivedSpanKind[] = ['internal', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'] as const;
const STATUS_NAMES = ['unset', 'ok', 'error'] as const;
const TEMPORALITIES = ['AGGREGATION_TEMPORALITY_UNSPECIFIED', 'AGGREGATION_TEMPORALITY_DELTA', 'AGGREGATION_TEMPORALITY_CUMULATIVE'] as const;
const SEVERITIES = [
  'SEVERITY_NUMBER_UNSPECIFIED',
  ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((s) => [s, `${s}2`, `${s}3`, `${s}4`].map((n) => `SEVERITY_NUMBER_${n}`)),
];

/** Visits every (resource, scope, item) triple of a request. */
function each(
  request: Obj,
  resourceKey: string,
  scopeKey: string,
  itemKey: string,
  visit: (item: Obj, resource: ReceivedAttributes, scope: ReceivedScope, path: string) => void,
): void {
  asArray(field(request, resourceKey), resourceKey).forEach((r, i) => {
    const rPath = `${resourceKey}[${i}]`;
    const rObj = asObject(r, rPath);
    const resource = keyValues(field(asObject(field(rObj, 'resource'), `${rPath}.resource`), 'attributes'), `${rPath}.resource.attributes`);
    asArray(field(rObj, scopeKey), `${rPath}.${scopeKey}`).forEach((s, j) => {
      const sPath = `${rPath}.${scopeKey}[${j}]`;
      const sObj = asObject(s, sPath);
      const scopeObj = asObject(field(sObj, 'scope'), `${sPath}.scope`);
      const scope: ReceivedScope = { name: optString(field(scopeObj, 'name'), `${sPath}.scope.name`) ?? '' };
      const version = optString(field(scopeObj, 'version'), `${sPath}.scope.version`);
      if (version !== undefined) scope.version = version;
      asArray(field(sObj, itemKey), `${sPath}.${itemKey}`).forEach((item, k) => {
        const path = `${sPath}.${itemKey}[${k}]`;
        visit(asObject(item, path), resource, scope, path);
      });
    });
  });
}

function requireId(value: unknown, path: string, byteLength: number): string {
  const id = optId(value, path, byteLength);
  if (id === undefined) throw new OtlpShapeError(path, 'a non-zero id', value);
  return id;
}

/** Spans of an `ExportTraceServiceRequest`. */
export function decodeSpans(request: Obj): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  each(request, 'resourceSpans', 'scopeSpans', 'spans', (span, resource, scope, path) => {
    const start = nanos(field(span, 'startTimeUnixNano'), `${path}.startTimeUnixNano`);
    const end = nanos(field(span, 'endTimeUnixNano'), `${path}.endTimeUnixNano`);
    const status = asObject(field(span, 'status'), `${path}.status`);
    const code = enumValue(field(status, 'code'), `${path}.status.code`, STATUS_CODES);
    const message = optString(field(status, 'message'), `${path}.status.message`);
    const kind = enumValue(field(span, 'kind'), `${path}.kind`, SPAN_KINDS);
    const received: ReceivedSpan = {
      traceId: requireId(field(span, 'traceId'), `${path}.traceId`, 16),
      spanId: requireId(field(span, 'spanId'), `${path}.spanId`, 8),
      name: optString(field(span, 'name'), `${path}.name`) ?? '',
      kind: KIND_NAMES[kind] ?? 'internal',
      startTimeUnixNano: start,
      endTimeUnixNano: end,
      durationMs: Number(BigInt(end) - BigInt(start)) / 1e6,
      attributes: keyValues(field(span, 'attributes'), `${path}.attributes`),
      status: { code: STATUS_NAMES[code] ?? 'unset', ...(message === undefined ? {} : { message }) },
      events: asArray(field(span, 'events'), `${path}.events`).map((e, n) => {
        const ev = asObject(e, `${path}.events[${n}]`);
        return {
          name: optString(field(ev, 'name'), `${path}.events[${n}].name`) ?? '',
          timeUnixNano: nanos(field(ev, 'timeUnixNano'), `${path}.events[${n}].timeUnixNano`),
          attributes: keyValues(field(ev, 'attributes'), `${path}.events[${n}].attributes`),
        };
      }),
      links: asArray(field(span, 'links'), `${path}.links`).map((l, n) => {
        const link = asObject(l, `${path}.links[${n}]`);
        return {
          traceId: requireId(field(link, 'traceId'), `${path}.links[${n}].traceId`, 16),
          spanId: requireId(field(link, 'spanId'), `${path}.links[${n}].spanId`, 8),
          attributes: keyValues(field(link, 'attributes'), `${path}.links[${n}].attributes`),
        };
      }),
      resource,
      scope,
    };
    const parent = optId(field(span, 'parentSpanId'), `${path}.parentSpanId`, 8);
    if (parent !== undefined) received.parentSpanId = parent;
    const traceState = optString(field(span, 'traceState'), `${path}.traceState`);
    if (traceState !== undefined) received.traceState = traceState;
    out.push(received);
  });
  return out;
}

function numbers(list: unknown, path: string): number[] {
  return asArray(list, path).map((v, n) => optNumber(v, `${path}[${n}]`) ?? 0);
}

function expBuckets(value: unknown, path: string): ReceivedExponentialBuckets | undefined {
  if (value === undefined || value === null) return undefined;
  const b = asObject(value, path);
  return { offset: optNumber(field(b, 'offset'), `${path}.offset`) ?? 0, bucketCounts: numbers(field(b, 'bucketCounts'), `${path}.bucketCounts`) };
}

/** Copies the optional numeric fields that are present. */
function setNumbers(target: ReceivedMetricPoint, dp: Obj, path: string, keys: readonly ('count' | 'sum' | 'min' | 'max' | 'scale' | 'zeroCount')[]): void {
  for (const key of keys) {
    const value = optNumber(field(dp, key), `${path}.${key}`);
    if (value !== undefined) target[key] = value;
  }
}

const METRIC_TYPES = ['sum', 'gauge', 'histogram', 'exponentialHistogram', 'summary'] as const;

/** Metric data points of an `ExportMetricsServiceRequest`, one record per point. */
export function decodeMetrics(request: Obj): ReceivedMetricPoint[] {
  const out: ReceivedMetricPoint[] = [];
  each(request, 'resourceMetrics', 'scopeMetrics', 'metrics', (metric, resource, scope, path) => {
    const name = optString(field(metric, 'name'), `${path}.name`) ?? '';
    const description = optString(field(metric, 'description'), `${path}.description`);
    const unit = optString(field(metric, 'unit'), `${path}.unit`);
    const type = METRIC_TYPES.find((t) => field(metric, t) !== undefined && field(metric, t) !== null);
    if (type === undefined) return; // no data: nothing to record
    const dataPath = `${path}.${type}`;
    const data = asObject(field(metric, type), dataPath);
    const temporality = enumValue(field(data, 'aggregationTemporality'), `${dataPath}.aggregationTemporality`, TEMPORALITIES);
    asArray(field(data, 'dataPoints'), `${dataPath}.dataPoints`).forEach((d, n) => {
      const dpPath = `${dataPath}.dataPoints[${n}]`;
      const dp = asObject(d, dpPath);
      const point: ReceivedMetricPoint = {
        name,
        type,
        attributes: keyValues(field(dp, 'attributes'), `${dpPath}.attributes`),
        timeUnixNano: nanos(field(dp, 'timeUnixNano'), `${dpPath}.timeUnixNano`),
        resource,
        scope,
      };
      if (description !== undefined) point.description = description;
      if (unit !== undefined) point.unit = unit;
      if (temporality === 1) point.temporality = 'delta';
      if (temporality === 2) point.temporality = 'cumulative';
      const startTime = optNanos(field(dp, 'startTimeUnixNano'), `${dpPath}.startTimeUnixNano`);
      if (startTime !== undefined) point.startTimeUnixNano = startTime;
      if (type === 'sum') point.monotonic = field(data, 'isMonotonic') === true;
      if (type === 'sum' || type === 'gauge') {
        const asDouble = field(dp, 'asDouble');
        const value = asDouble !== undefined ? optNumber(asDouble, `${dpPath}.asDouble`) : optInt64(field(dp, 'asInt'), `${dpPath}.asInt`);
        point.value = value === undefined ? 0 : Number(value);
      } else if (type === 'histogram') {
        setNumbers(point, dp, dpPath, ['count', 'sum', 'min', 'max']);
        point.bucketCounts = numbers(field(dp, 'bucketCounts'), `${dpPath}.bucketCounts`);
        point.explicitBounds = numbers(field(dp, 'explicitBounds'), `${dpPath}.explicitBounds`);
      } else if (type === 'exponentialHistogram') {
        setNumbers(point, dp, dpPath, ['count', 'sum', 'min', 'max', 'scale', 'zeroCount']);
        const positive = expBuckets(field(dp, 'positive'), `${dpPath}.positive`);
        const negative = expBuckets(field(dp, 'negative'), `${dpPath}.negative`);
        if (positive) point.positive = positive;
        if (negative) point.negative = negative;
      } else {
        setNumbers(point, dp, dpPath, ['count', 'sum']);
        point.quantileValues = asArray(field(dp, 'quantileValues'), `${dpPath}.quantileValues`).map((q, k) => {
          const qv = asObject(q, `${dpPath}.quantileValues[${k}]`);
          return {
            quantile: optNumber(field(qv, 'quantile'), `${dpPath}.quantileValues[${k}].quantile`) ?? 0,
            value: optNumber(field(qv, 'value'), `${dpPath}.quantileValues[${k}].value`) ?? 0,
          };
        });
      }
      out.push(point);
    });
  });
  return out;
}

/** Log records of an `ExportLogsServiceRequest`. */
export function decodeLogs(request: Obj): ReceivedLogRecord[] {
  const out: ReceivedLogRecord[] = [];
  each(request, 'resourceLogs', 'scopeLogs', 'logRecords', (log, resource, scope, path) => {
    const record: ReceivedLogRecord = {
      body: field(log, 'body') === undefined ? undefined : anyValue(field(log, 'body'), `${path}.body`),
      attributes: keyValues(field(log, 'attributes'), `${path}.attributes`),
      resource,
      scope,
    };
    const time = optNanos(field(log, 'timeUnixNano'), `${path}.timeUnixNano`);
    if (time !== undefined) record.timeUnixNano = time;
    const observed = optNanos(field(log, 'observedTimeUnixNano'), `${path}.observedTimeUnixNano`);
    if (observed !== undefined) record.observedTimeUnixNano = observed;
    const severity = enumValue(field(log, 'severityNumber'), `${path}.severityNumber`, SEVERITIES);
    if (severity !== 0) record.severityNumber = severity;
    const severityText = optString(field(log, 'severityText'), `${path}.severityText`);
    if (severityText !== undefined) record.severityText = severityText;
    const eventName = optString(field(log, 'eventName'), `${path}.eventName`);
    if (eventName !== undefined) record.eventName = eventName;
    const traceId = optId(field(log, 'traceId'), `${path}.traceId`, 16);
    if (traceId !== undefined) record.traceId = traceId;
    const spanId = optId(field(log, 'spanId'), `${path}.spanId`, 8);
    if (spanId !== undefined) record.spanId = spanId;
    out.push(record);
  });
  return out;
}
