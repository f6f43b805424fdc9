// Tiny parsers for the two trace-context formats met in Lambda events, so that neither
// @opentelemetry/core nor the AWS X-Ray propagator package has to load at cold start.
import {
  TraceFlags,
  createTraceState,
  isSpanContextValid,
  type SpanContext,
} from '@opentelemetry/api';

/** A span context parsed from an X-Ray header, with the header's sampling decision. */
export interface XRayContext {
  spanContext: SpanContext;
  /** `true` for `Sampled=1`, `false` for `Sampled=0`, `undefined` when absent or `?`. */
  sampled: boolean | undefined;
}

const XRAY_ROOT = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/i;
const HEX16 = /^[0-9a-f]{16}$/i;
const MAX_HEADER = 2048;

/**
 * Parses `Root=1-<8 hex>-<24 hex>;Parent=<16 hex>;Sampled=0|1` (any order, extra fields
 * ignored). Returns `undefined` for anything malformed or without a parent span id.
 */
export function parseXRayHeader(header: unknown): XRayContext | undefined {
  if (typeof header !== 'string' || header.length === 0 || header.length > MAX_HEADER) return undefined;
  let traceId: string | undefined;
  let spanId: string | undefined;
  let sampled: boolean | undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    const value = part.slice(eq + 1).trim();
    if (key === 'root') {
      const m = XRAY_ROOT.exec(value);
      if (m) traceId = `${m[1]}${m[2]}`.toLowerCase();
    } else if (key === 'parent') {
      if (HEX16.test(value)) spanId = value.toLowerCase();
    } else if (key === 'sampled') {
      sampled = value === '1' || value === 'd' ? true : value === '0' ? false : undefined;
    }
  }
  if (traceId === undefined || spanId === undefined) return undefined;
  const spanContext: SpanContext = {
    traceId,
    spanId,
    traceFlags: sampled === true ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  };
  return isSpanContextValid(spanContext) ? { spanContext, sampled } : undefined;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * Parses a W3C `traceparent` (and optional `tracestate`). Version `ff` and all-zero ids are
 * rejected; version 00 must have exactly four fields.
 */
export function parseTraceparent(traceparent: unknown, tracestate?: unknown): SpanContext | undefined {
  if (typeof traceparent !== 'string' || traceparent.length > 512) return undefined;
  const m = TRACEPARENT.exec(traceparent.trim());
  if (!m) return undefined;
  const [, version, traceId, spanId, flags, rest] = m;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  const spanContext: SpanContext = {
    traceId: traceId!,
    spanId: spanId!,
    traceFlags: parseInt(flags!, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  };
  if (typeof tracestate === 'string' && tracestate.length > 0 && tracestate.length <= MAX_HEADER) {
    spanContext.traceState = createTraceState(tracestate);
  }
  return isSpanContextValid(spanContext) ? spanContext : undefined;
}
