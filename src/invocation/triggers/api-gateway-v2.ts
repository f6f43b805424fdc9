// API Gateway HTTP API payload 2.0 events, and Lambda function URLs (same format).
import { headerLookup, httpTrigger, protocolVersion } from './http.js';
import type { TriggerInfo, TriggerOptions } from './types.js';
import { get, isObject, lowerCaseHeaders, str } from './util.js';

/** `requestContext.http.method`: the payload 2.0 format. */
export function isApiGatewayV2(event: Record<string, unknown>): boolean {
  return typeof get(get(event.requestContext, 'http'), 'method') === 'string';
}

export function apiGatewayV2(event: Record<string, unknown>, options: TriggerOptions): TriggerInfo {
  const rc = event.requestContext;
  const http = get(rc, 'http');
  const carrier = lowerCaseHeaders(event.headers);
  const domain = str(get(rc, 'domainName'));
  const functionUrl = domain !== undefined && domain.includes('.lambda-url.');
  // routeKey is `METHOD /path/{param}` or `$default` (no route template).
  const routeKey = str(event.routeKey) ?? str(get(rc, 'routeKey'));
  const space = routeKey?.indexOf(' ') ?? -1;
  const route = routeKey !== undefined && space > 0 ? str(routeKey.slice(space + 1)) : undefined;
  return httpTrigger(
    {
      source: functionUrl ? 'function-url' : 'api-gateway-v2',
      method: str(get(http, 'method')),
      route,
      path: str(event.rawPath) ?? str(get(http, 'path')),
      scheme: carrier['x-forwarded-proto'] ?? 'https',
      host: carrier.host ?? domain,
      port: carrier['x-forwarded-port'],
      clientAddress: str(get(http, 'sourceIp')),
      userAgent: carrier['user-agent'] ?? str(get(http, 'userAgent')),
      protocolVersion: protocolVersion(get(http, 'protocol')),
      query: str(event.rawQueryString),
      headerValues: headerLookup(event.headers, undefined),
      carrier,
      // Payload 2.0: a result without statusCode is answered with 200.
      defaultStatus: isObject(http) ? 200 : undefined,
    },
    options,
  );
}
