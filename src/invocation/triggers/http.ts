// Shared HTTP-server attributes for API Gateway, function URL and ALB events (HTTP semantic
// conventions, stable names). Never records bodies, credentials or, unless asked, the query.
// Values from the request are cut to `maxValueLength` before any work on them.
import { SpanKind, SpanStatusCode, type Attributes, type Span } from '@opentelemetry/api';
import { captureHeaders, type HeaderValues } from './http-headers.js';
import { truncate, valueLimit } from './limits.js';
import { redactPath, redactQuery } from './redact.js';
import * as sc from './semconv.js';
import type { TriggerInfo, TriggerOptions } from './types.js';
import { isObject } from './util.js';

export { REDACTED } from './redact.js';
export { headerLookup } from './http-headers.js';

const KNOWN_METHODS = new Set([
  'CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'QUERY', 'TRACE',
]);
/** Longest known method name: a longer one is `_OTHER` without upper-casing it. */
const MAX_METHOD = 7;

/** What an HTTP event says about the request, normalised across event formats. */
export interface HttpRequestFacts {
  source: string;
  method: string | undefined;
  /** Route template (`/pets/{id}`), when the integration knows one. */
  route: string | undefined;
  path: string | undefined;
  scheme: string | undefined;
  host: string | undefined;
  port: string | undefined;
  clientAddress: string | undefined;
  userAgent: string | undefined;
  /** e.g. `1.1` or `2.0`. */
  protocolVersion: string | undefined;
  /** Raw query string without `?`, or `undefined`. */
  query: string | undefined;
  /** Lower-cased header name → values, for opt-in capture. */
  headerValues: HeaderValues;
  carrier: Record<string, string>;
  /** Status API Gateway assumes when the result carries none (200 for payload 2.0). */
  defaultStatus: number | undefined;
}

/** The TriggerInfo of an HTTP request (the final cap of every value is `boundTrigger`'s). */
export function httpTrigger(facts: HttpRequestFacts, options: TriggerOptions): TriggerInfo {
  const max = valueLimit(options.maxValueLength);
  const attributes: Attributes = { [sc.FAAS_TRIGGER]: 'http' };
  const { method, original } = normaliseMethod(facts.method);
  if (method !== undefined) attributes[sc.HTTP_REQUEST_METHOD] = method;
  if (original !== undefined) attributes[sc.HTTP_REQUEST_METHOD_ORIGINAL] = original;
  const route = facts.route !== undefined ? redactPath(truncate(facts.route, max)) : undefined;
  setIf(attributes, sc.HTTP_ROUTE, route);
  if (facts.path !== undefined) setIf(attributes, sc.URL_PATH, redactPath(truncate(facts.path, max)));
  if (facts.scheme !== undefined) setIf(attributes, sc.URL_SCHEME, truncate(facts.scheme, max).toLowerCase());
  setIf(attributes, sc.SERVER_ADDRESS, facts.host);
  const port = facts.port !== undefined && facts.port.length <= 5 ? Number(facts.port) : NaN;
  if (Number.isInteger(port) && port > 0 && port < 65536) attributes[sc.SERVER_PORT] = port;
  setIf(attributes, sc.CLIENT_ADDRESS, facts.clientAddress);
  setIf(attributes, sc.USER_AGENT_ORIGINAL, facts.userAgent);
  setIf(attributes, sc.NETWORK_PROTOCOL_VERSION, facts.protocolVersion);
  if (options.captureQuery === true && facts.query) attributes[sc.URL_QUERY] = redactQuery(facts.query, max);
  if (options.captureRequestHeaders !== undefined) captureHeaders(attributes, facts.headerValues, options.captureRequestHeaders, max);
  const verb = method === undefined ? undefined : method === '_OTHER' ? 'HTTP' : method;
  const name = verb === undefined ? undefined : route ? `${verb} ${route}` : verb;
  return {
    source: facts.source,
    trigger: 'http',
    kind: SpanKind.SERVER,
    name,
    attributes,
    links: [],
    carrier: facts.carrier,
    onResult: statusRecorder(facts.defaultStatus),
  };
}

/** Sets `http.response.status_code` from the handler's result; ERROR status on 5xx only. */
export function statusRecorder(defaultStatus: number | undefined) {
  return (result: unknown, span: Span): void => {
    const raw = isObject(result) ? result.statusCode : undefined;
    const parsed = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
    const status = Number.isInteger(parsed) && parsed >= 100 && parsed <= 599 ? parsed : defaultStatus;
    if (status === undefined) return;
    span.setAttribute(sc.HTTP_RESPONSE_STATUS_CODE, status);
    if (status >= 500) {
      span.setAttribute(sc.ERROR_TYPE, String(status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
  };
}

/**
 * A query string from (multi-value) query parameters, stopping once it is longer than `max`
 * (the caller cuts it exactly). API Gateway hands them decoded (`encode: true` re-encodes
 * them); ALB hands them as the client sent them.
 */
export function joinQuery(single: unknown, multi: unknown, encode: boolean, max: number): string | undefined {
  const source = isObject(multi) ? multi : isObject(single) ? single : undefined;
  if (source === undefined) return undefined;
  const pairs: string[] = [];
  let length = 0;
  for (const key in source) {
    if (!Object.hasOwn(source, key)) continue;
    const value = source[key];
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v !== 'string') continue;
      if (length > max) return pairs.join('&');
      // Cut before encoding: encoding a 1 MB value only to cut it is wasted work.
      const k = truncate(key, max);
      const val = truncate(v, max);
      const pair = encode ? `${encodeURIComponent(k)}=${encodeURIComponent(val)}` : `${k}=${val}`;
      pairs.push(pair);
      length += pair.length + 1;
    }
  }
  return pairs.length > 0 ? pairs.join('&') : undefined;
}

/** First entry of `X-Forwarded-For` (the original client). */
export function forwardedFor(carrier: Record<string, string>): string | undefined {
  const value = carrier['x-forwarded-for'];
  if (value === undefined) return undefined;
  const comma = value.indexOf(',');
  const client = (comma < 0 ? value : value.slice(0, comma)).trim();
  return client ? client : undefined;
}

/** `HTTP/1.1` → `1.1`. */
export function protocolVersion(protocol: unknown): string | undefined {
  if (typeof protocol !== 'string') return undefined;
  const m = /^HTTP\/(\d+(?:\.\d+)?)$/i.exec(protocol.trim());
  return m ? m[1] : undefined;
}

function normaliseMethod(raw: string | undefined): { method?: string; original?: string } {
  if (raw === undefined) return {};
  if (raw.length > MAX_METHOD) return { method: '_OTHER', original: raw };
  const upper = raw.toUpperCase();
  if (KNOWN_METHODS.has(upper)) return upper === raw ? { method: upper } : { method: upper, original: raw };
  return { method: '_OTHER', original: raw };
}

function setIf(attributes: Attributes, key: string, value: string | undefined): void {
  if (value !== undefined && value !== '') attributes[key] = value;
}
