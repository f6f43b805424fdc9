// Shared HTTP-server attributes for API Gateway, function URL and ALB events (HTTP semantic
// conventions, stable names). Never records bodies, credentials or, unless asked, the query.
import { SpanKind, SpanStatusCode, type Attributes, type Span } from '@opentelemetry/api';
import * as sc from './semconv.js';
import type { TriggerInfo, TriggerOptions } from './types.js';
import { isObject } from './util.js';

const KNOWN_METHODS = new Set([
  'CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'QUERY', 'TRACE',
]);

/** Headers whose values are never recorded, even when capture is asked for. */
const CREDENTIAL_HEADERS = new Set([
  'authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key',
  'x-amz-security-token', 'x-auth-token', 'x-csrf-token', 'x-xsrf-token',
]);

/** Query parameter names whose values are redacted in `url.query`. */
const SECRET_PARAM = /token|secret|passw|pwd|signature|^sig$|credential|api[-_]?key|^key$|^code$|auth|session|jwt|awsaccesskeyid/i;

export const REDACTED = 'REDACTED';

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
  headerValues: (name: string) => string[] | undefined;
  carrier: Record<string, string>;
  /** Status API Gateway assumes when the result carries none (200 for payload 2.0). */
  defaultStatus: number | undefined;
}

/** The TriggerInfo of an HTTP request. */
export function httpTrigger(facts: HttpRequestFacts, options: TriggerOptions): TriggerInfo {
  const attributes: Attributes = { [sc.FAAS_TRIGGER]: 'http' };
  const { method, original } = normaliseMethod(facts.method);
  if (method !== undefined) attributes[sc.HTTP_REQUEST_METHOD] = method;
  if (original !== undefined) attributes[sc.HTTP_REQUEST_METHOD_ORIGINAL] = original;
  setIf(attributes, sc.HTTP_ROUTE, facts.route);
  setIf(attributes, sc.URL_PATH, facts.path);
  setIf(attributes, sc.URL_SCHEME, facts.scheme?.toLowerCase());
  setIf(attributes, sc.SERVER_ADDRESS, facts.host);
  const port = facts.port !== undefined ? Number(facts.port) : NaN;
  if (Number.isInteger(port) && port > 0 && port < 65536) attributes[sc.SERVER_PORT] = port;
  setIf(attributes, sc.CLIENT_ADDRESS, facts.clientAddress);
  setIf(attributes, sc.USER_AGENT_ORIGINAL, facts.userAgent);
  setIf(attributes, sc.NETWORK_PROTOCOL_VERSION, facts.protocolVersion);
  if (options.captureQuery === true && facts.query) attributes[sc.URL_QUERY] = redactQuery(facts.query);
  for (const name of options.captureRequestHeaders ?? []) {
    if (typeof name !== 'string') continue;
    const key = name.toLowerCase();
    const values = facts.headerValues(key);
    if (values === undefined || values.length === 0) continue;
    attributes[sc.HTTP_REQUEST_HEADER_PREFIX + key] = CREDENTIAL_HEADERS.has(key) ? values.map(() => REDACTED) : values;
  }
  const verb = method === undefined ? undefined : method === '_OTHER' ? 'HTTP' : method;
  const name = verb === undefined ? undefined : facts.route ? `${verb} ${facts.route}` : verb;
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

/** `url.query` with credential-like parameter values replaced by `REDACTED`. */
export function redactQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      let name = pair.slice(0, eq);
      try {
        name = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // keep the raw name
      }
      return SECRET_PARAM.test(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    })
    .join('&');
}

/**
 * A query string from (multi-value) query parameters. API Gateway hands them decoded
 * (`encode: true` re-encodes them); ALB hands them as the client sent them.
 */
export function joinQuery(single: unknown, multi: unknown, encode: boolean): string | undefined {
  const pairs: string[] = [];
  const source = isObject(multi) ? multi : isObject(single) ? single : undefined;
  if (source === undefined) return undefined;
  for (const [key, value] of Object.entries(source)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v !== 'string') continue;
      pairs.push(encode ? `${encodeURIComponent(key)}=${encodeURIComponent(v)}` : `${key}=${v}`);
    }
  }
  return pairs.length > 0 ? pairs.join('&') : undefined;
}

/** Lower-cased header name → values, from `headers` and/or `multiValueHeaders`. */
export function headerLookup(headers: unknown, multiValueHeaders: unknown): (name: string) => string[] | undefined {
  return (name) => {
    for (const map of [multiValueHeaders, headers]) {
      if (!isObject(map)) continue;
      for (const [key, value] of Object.entries(map)) {
        if (key.toLowerCase() !== name) continue;
        const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
        if (values.length > 0) return values;
      }
    }
    return undefined;
  };
}

/** First entry of `X-Forwarded-For` (the original client). */
export function forwardedFor(carrier: Record<string, string>): string | undefined {
  const value = carrier['x-forwarded-for'];
  if (value === undefined) return undefined;
  const client = value.split(',')[0]?.trim();
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
  const upper = raw.toUpperCase();
  if (KNOWN_METHODS.has(upper)) return upper === raw ? { method: upper } : { method: upper, original: raw };
  return { method: '_OTHER', original: raw };
}

function setIf(attributes: Attributes, key: string, value: string | undefined): void {
  if (value !== undefined && value !== '') attributes[key] = value;
}
