import { SpanStatusCode, type Span } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { redactQuery } from '../../../src/invocation/triggers/redact.js';
import { detectTrigger } from '../../../src/invocation/triggers/index.js';
import { loadEvent } from './load-event.js';

/** A span fake that records what onResult sets. */
function recordingSpan() {
  const attributes: Record<string, unknown> = {};
  let status: { code: SpanStatusCode } | undefined;
  const span = {
    setAttribute(key: string, value: unknown) { attributes[key] = value; return span; },
    setStatus(s: { code: SpanStatusCode }) { status = s; return span; },
  } as unknown as Span;
  return { span, attributes, status: () => status };
}

describe('HTTP onResult', () => {
  it.each([
    ['api-gateway-v1', { statusCode: 200, body: '' }, 200, false],
    ['api-gateway-v1', { statusCode: 404 }, 404, false],
    ['api-gateway-v1', { statusCode: 503 }, 503, true],
    ['api-gateway-v1', { statusCode: '500' }, 500, true],
    ['api-gateway-v2', { statusCode: 201 }, 201, false],
    ['api-gateway-v2', 'plain string result', 200, false],
    ['api-gateway-v2', undefined, 200, false],
    ['function-url', { statusCode: 502 }, 502, true],
    ['alb', { statusCode: 500, statusDescription: '500 Internal Server Error' }, 500, true],
  ])('%s result %j → status %s, error %s', (fixture, result, code, error) => {
    const info = detectTrigger(loadEvent(fixture), { maxLinks: 32 });
    const rec = recordingSpan();
    info.onResult?.(result, rec.span);
    expect(rec.attributes['http.response.status_code']).toBe(code);
    if (error) {
      expect(rec.status()?.code).toBe(SpanStatusCode.ERROR);
      expect(rec.attributes['error.type']).toBe(String(code));
    } else {
      expect(rec.status()).toBeUndefined();
      expect(rec.attributes).not.toHaveProperty(['error.type']);
    }
  });

  it.each([
    ['api-gateway-v1', {}],
    ['api-gateway-v1', { statusCode: 'abc' }],
    ['alb', null],
    ['alb', { statusCode: 999 }],
  ])('%s with no usable statusCode (%j) sets nothing', (fixture, result) => {
    const info = detectTrigger(loadEvent(fixture), { maxLinks: 32 });
    const rec = recordingSpan();
    info.onResult?.(result, rec.span);
    expect(rec.attributes).toEqual({});
    expect(rec.status()).toBeUndefined();
  });
});

describe('opt-in capture', () => {
  it('url.query only when asked, with credential-like values redacted', () => {
    const v2 = detectTrigger(loadEvent('api-gateway-v2'), { maxLinks: 32, captureQuery: true });
    expect(v2.attributes['url.query']).toBe('dryRun=true&signature=REDACTED&X-Amz-Credential=REDACTED');
    const v1 = detectTrigger(loadEvent('api-gateway-v1'), { maxLinks: 32, captureQuery: true });
    expect(v1.attributes['url.query']).toBe('expand=owner&access_token=REDACTED');
    const alb = detectTrigger(loadEvent('alb'), { maxLinks: 32, captureQuery: true });
    expect(alb.attributes['url.query']).toBe('query=1234ABCD&api_key=REDACTED');
    const multi = detectTrigger(loadEvent('alb-multi-value'), { maxLinks: 32, captureQuery: true });
    expect(multi.attributes['url.query']).toBe('q=a&q=b');
  });

  it.each([
    ['a=1&token=x&b', 'a=1&token=REDACTED&b'],
    ['Signature=abc&AWSAccessKeyId=AK&sig=1', 'Signature=REDACTED&AWSAccessKeyId=REDACTED&sig=REDACTED'],
    ['pass%77ord=hunter2', 'pass%77ord=REDACTED'],
    ['%E0%A4%A=bad&key=k', '%E0%A4%A=bad&key=REDACTED'],
    ['page=2&sort=name', 'page=2&sort=name'],
  ])('redactQuery(%s) → %s', (query, expected) => {
    expect(redactQuery(query)).toBe(expected);
  });

  it('request headers only when listed; credential headers always REDACTED', () => {
    const info = detectTrigger(loadEvent('api-gateway-v1'), {
      maxLinks: 32,
      captureRequestHeaders: ['Accept', 'authorization', 'X-Api-Key', 'cookie', 'x-missing'],
    });
    expect(info.attributes['http.request.header.accept']).toEqual(['application/json']);
    expect(info.attributes['http.request.header.authorization']).toEqual(['REDACTED']);
    expect(info.attributes['http.request.header.x-api-key']).toEqual(['REDACTED']);
    expect(info.attributes['http.request.header.cookie']).toEqual(['REDACTED']);
    expect(info.attributes).not.toHaveProperty(['http.request.header.x-missing']);
    const multi = detectTrigger(loadEvent('alb-multi-value'), { maxLinks: 32, captureRequestHeaders: ['x-custom'] });
    expect(multi.attributes['http.request.header.x-custom']).toEqual(['one', 'two']);
  });
});
