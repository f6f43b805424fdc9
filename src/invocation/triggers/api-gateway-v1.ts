// API Gateway REST API (and HTTP API payload 1.0) proxy events.
import { forwardedFor, headerLookup, httpTrigger, joinQuery, protocolVersion } from './http.js';
import { valueLimit } from './limits.js';
import type { TriggerInfo, TriggerOptions } from './types.js';
import { get, isObject, lowerCaseHeaders, str } from './util.js';

/** `httpMethod` + `requestContext` without `elb`: the payload 1.0 proxy format. */
export function isApiGatewayV1(event: Record<string, unknown>): boolean {
  const rc = event.requestContext;
  return typeof event.httpMethod === 'string' && isObject(rc) && rc.elb === undefined && !isObject(rc.http);
}

export function apiGatewayV1(event: Record<string, unknown>, options: TriggerOptions): TriggerInfo {
  const rc = event.requestContext;
  const carrier = lowerCaseHeaders(event.headers, event.multiValueHeaders);
  return httpTrigger(
    {
      source: 'api-gateway-v1',
      method: str(event.httpMethod),
      route: str(event.resource) ?? str(get(rc, 'resourcePath')),
      path: str(event.path),
      scheme: carrier['x-forwarded-proto'] ?? 'https',
      host: carrier.host ?? str(get(rc, 'domainName')),
      port: carrier['x-forwarded-port'],
      clientAddress: str(get(get(rc, 'identity'), 'sourceIp')) ?? forwardedFor(carrier),
      userAgent: carrier['user-agent'] ?? str(get(get(rc, 'identity'), 'userAgent')),
      protocolVersion: protocolVersion(get(rc, 'protocol')),
      query: options.captureQuery === true
        ? joinQuery(event.queryStringParameters, event.multiValueQueryStringParameters, true, valueLimit(options.maxValueLength))
        : undefined,
      headerValues: headerLookup(event.headers, event.multiValueHeaders),
      carrier,
      defaultStatus: undefined,
    },
    options,
  );
}
