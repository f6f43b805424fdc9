// The redaction table: names and values that must be REDACTED, and look-alikes that must stay.
import { describe, expect, it } from 'vitest';
import { detectTrigger } from '../../../src/invocation/triggers/index.js';
import { containsSecret, isCredentialName, redactPath, redactQuery } from '../../../src/invocation/triggers/redact.js';
import { loadEvent } from './load-event.js';

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

/** Query parameter and header names recorded `REDACTED` (the list first). */
const CREDENTIAL_NAMES = [
  // query keys reported in clear before
  'pass', 'pw', 'private_key', 'access_key', 'otp', 'pin', 'bearer', 'Key-Pair-Id', 'Policy',
  // headers reported verbatim before
  'x-access-token', 'api-key', 'x-goog-api-key', 'authentication', 'x-amz-signature', 'x-functions-key', 'x-id-token',
  // the patterns
  'token', 'secret', 'key', 'auth', 'signature', 'password', 'passwd', 'pwd', 'passcode', 'passphrase', 'session',
  'credential', 'credentials', 'creds', 'cookie', 'jwt', 'sig', 'code', 'private',
  // common spellings
  'access_token', 'refresh_token', 'id_token', 'client_secret', 'apiKey', 'api_key', 'APIKEY', 'secretKey', 'authToken',
  'authtoken', 'accesstoken', 'sessionId', 'session_id', 'PHPSESSID', 'JSESSIONID', 'connect.sid', '_csrf',
  'csrfmiddlewaretoken', 'authenticity_token', 'oauth_token', 'oauth_signature', 'oauth_verifier', 'code_verifier',
  'pinCode', 'PIN', 'OTPCode', 'otp_code', 'mfa_code', 'user-password', 'Password1', 'hmac', 'x-api-key',
  // AWS SigV4 / S3 presigned / CloudFront signed URLs
  'X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Security-Token', 'AWSAccessKeyId', 'Signature', 'Key-Pair-Id',
  // headers
  'authorization', 'Authorization', 'proxy-authorization', 'set-cookie', 'x-amz-security-token', 'x-auth-token',
  'x-csrf-token', 'x-xsrf-token', 'x-auth', 'ocp-apim-subscription-key', 'x-hub-signature-256', 'stripe-signature',
  'x-slack-signature', 'x-shopify-hmac-sha256', 'x-amzn-oidc-data', 'x-amzn-oidc-accesstoken',
  'x-amz-server-side-encryption-customer-key', 'authorisation', 'x-goog-iap-jwt-assertion',
];

/** Look-alikes that are not credentials: recorded as they are. */
const PLAIN_NAMES = [
  'keyword', 'keywords', 'monkey', 'turnkey', 'keyboard', 'hotkey', 'page', 'sort', 'q', 'query', 'id', 'user_id', 'limit',
  'offset', 'author', 'authors', 'authority', 'passenger', 'bypass', 'compass', 'passport', 'spin', 'pinned', 'shipping',
  'signup', 'design', 'signal', 'country_code', 'zip_code', 'status_code', 'codec', 'policyholder', 'expires', 'Expires',
  'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-Algorithm', 'X-Amz-SignedHeaders', 'x-amz-content-sha256', 'accept',
  'content-type', 'user-agent', 'x-request-id', 'x-forwarded-for', 'x-amzn-trace-id', 'traceparent', 'x-tenant',
  'hostname', 'footprint', 'sidebar', 'inside',
];

describe('credential names', () => {
  it.each(CREDENTIAL_NAMES)('%s is a credential', (name) => {
    expect(isCredentialName(name)).toBe(true);
  });

  it.each(PLAIN_NAMES)('%s is not', (name) => {
    expect(isCredentialName(name)).toBe(false);
  });

  it('documented over-redaction: a `key` word or a stem anywhere is enough', () => {
    for (const name of ['sortKey', 'partition_key', 'max_tokens', 'private', 'retry_policy']) expect(isCredentialName(name), name).toBe(true);
  });

  it('every credential name is REDACTED in url.query, every look-alike kept', () => {
    const query = [...CREDENTIAL_NAMES, ...PLAIN_NAMES].map((n, i) => `${encodeURIComponent(n)}=v${i}`).join('&');
    const out = redactQuery(query);
    const pairs = out.split('&');
    CREDENTIAL_NAMES.forEach((n, i) => expect(pairs[i], n).toBe(`${encodeURIComponent(n)}=REDACTED`));
    PLAIN_NAMES.forEach((n, i) => expect(pairs[CREDENTIAL_NAMES.length + i], n).toBe(`${encodeURIComponent(n)}=v${CREDENTIAL_NAMES.length + i}`));
  });

  it('every credential header is REDACTED when captured, every look-alike kept', () => {
    const event = loadEvent('api-gateway-v2');
    // Header names are case-insensitive: the event spells them lower-case, the list as written.
    event.headers = Object.fromEntries([...CREDENTIAL_NAMES, ...PLAIN_NAMES].map((n) => [n.toLowerCase(), `value-of-${n.toLowerCase()}`]));
    const info = detectTrigger(event, { maxLinks: 32, captureRequestHeaders: [...CREDENTIAL_NAMES, ...PLAIN_NAMES] });
    for (const n of CREDENTIAL_NAMES) expect(info.attributes[`http.request.header.${n.toLowerCase()}`], n).toEqual(['REDACTED']);
    for (const n of PLAIN_NAMES) expect(info.attributes[`http.request.header.${n.toLowerCase()}`], n).toEqual([`value-of-${n.toLowerCase()}`]);
  });
});

describe('credential values', () => {
  it.each([
    ['a JWT', JWT],
    ['a JWT cut short (no dot)', 'eyJhbGciOiJIUzI1NiJ9'],
    ['a bearer JWT', `Bearer ${JWT}`],
    ['an encoded bearer JWT', `Bearer%20${JWT}`],
    ['a GitHub token', 'ghp_1234567890abcdefghijABCDEFGHIJ123456'],
    ['a GitHub fine-grained token', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnop'],
    ['a Slack token', 'xoxb-123456789012-abcdefghij'],
    ['a Stripe key', 'sk_live_51Habcdefghij'],
    ['an AWS access key id', 'AKIAIOSFODNN7EXAMPLE'],
    ['a temporary AWS access key id', 'ASIAIOSFODNN7EXAMPLE'],
    ['a Google API key', 'AIzaSyA1234567890abcdefghijklmnopqrstu'],
  ])('%s is a credential', (_label, value) => {
    expect(containsSecret(value)).toBe(true);
  });

  it.each([
    ['a UUID', '3f2504e0-4f89-11d3-9a0c-0305e82c3301'],
    ['a sha-256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['a word containing eyJ', 'heyJude'],
    ['a short eyJ', 'eyJab'],
    ['a path word', 'orders'],
    ['a task name', 'task_live_abcdefghijkl'],
    ['a lower-case akia', 'akiaiosfodnn7example'],
    ['a user agent', 'Mozilla/5.0 (X11; Linux x86_64)'],
  ])('%s is not', (_label, value) => {
    expect(containsSecret(value)).toBe(false);
  });

  it.each([
    [`/v1/verify/${JWT}/confirm`, '/v1/verify/REDACTED/confirm'],
    [`/${JWT}`, '/REDACTED'],
    [`/reset/${JWT.slice(0, 40)}`, '/reset/REDACTED'],
    ['/hooks/ghp_1234567890abcdefghijABCDEFGHIJ123456/run', '/hooks/REDACTED/run'],
    ['/users/3f2504e0-4f89-11d3-9a0c-0305e82c3301/orders/42', '/users/3f2504e0-4f89-11d3-9a0c-0305e82c3301/orders/42'],
    ['/songs/heyJude', '/songs/heyJude'],
    ['/', '/'],
  ])('path %s → %s', (path, expected) => {
    expect(redactPath(path)).toBe(expected);
  });

  it('a JWT in the path is REDACTED in url.path (by default) and a route template in the span name', () => {
    const event = loadEvent('api-gateway-v2');
    event.rawPath = `/auth/${JWT}`;
    event.routeKey = `GET /auth/${JWT}`;
    const info = detectTrigger(event, { maxLinks: 32 });
    expect(info.attributes['url.path']).toBe('/auth/REDACTED');
    expect(info.attributes['http.route']).toBe('/auth/REDACTED');
    expect(info.name).toBe('POST /auth/REDACTED');
    expect(JSON.stringify(info)).not.toContain('eyJ');
  });

  it('credential-shaped values are REDACTED in url.query and captured headers, whatever the name', () => {
    expect(redactQuery(`next=${JWT}&page=2&${JWT}`)).toBe('next=REDACTED&page=2&REDACTED');
    const event = loadEvent('api-gateway-v2');
    event.headers['x-forwarded-identity'] = `Bearer ${JWT}`;
    const info = detectTrigger(event, { maxLinks: 32, captureRequestHeaders: ['x-forwarded-identity'] });
    expect(info.attributes['http.request.header.x-forwarded-identity']).toEqual(['REDACTED']);
  });

  it('url.query keeps its shape: bare keys, empty values, undecodable names', () => {
    expect(redactQuery('a=1&token=x&b')).toBe('a=1&token=REDACTED&b');
    expect(redactQuery('pass%77ord=hunter2&pw=&x=')).toBe('pass%77ord=REDACTED&pw=REDACTED&x=');
    expect(redactQuery('%E0%A4%A=bad&key=k')).toBe('%E0%A4%A=bad&key=REDACTED');
    expect(redactQuery('a+token=1')).toBe('a+token=REDACTED');
  });
});
