// Application Load Balancer target-group events.
import { forwardedFor, headerLookup, httpTrigger, joinQuery } from './http.js';
import { valueLimit } from './limits.js';
import type { TriggerInfo, TriggerOptions } from './types.js';
import { get, isObject, lowerCaseHeaders, str } from './util.js';

/** `requestContext.elb`: an ALB target-group event. */
export function isAlb(event: Record<string, unknown>): boolean {
  return isObject(get(event.requestContext, 'elb'));
}

export function alb(event: Record<string, unknown>, options: TriggerOptions): TriggerInfo {
  const carrier = lowerCaseHeaders(event.headers, event.multiValueHeaders);
  return httpTrigger(
    {
      source: 'alb',
      method: str(event.httpMethod),
      route: undefined, // ALB has no route templates
      path: str(event.path),
      scheme: carrier['x-forwarded-proto'],
      host: carrier.host,
      port: carrier['x-forwarded-port'],
      clientAddress: forwardedFor(carrier),
      userAgent: carrier['user-agent'],
      protocolVersion: undefined,
      // ALB passes query parameters as the client sent them (still URL-encoded).
      query: options.captureQuery === true
        ? joinQuery(event.queryStringParameters, event.multiValueQueryStringParameters, false, valueLimit(options.maxValueLength))
        : undefined,
      headerValues: headerLookup(event.headers, event.multiValueHeaders),
      carrier,
      defaultStatus: undefined,
    },
    options,
  );
}
