// Telemetry API subscription validation: Lambda's schema versions, types, buffering limits, destination.
import { describe, expect, it } from 'vitest';
import { parseSubscription } from '../../src/testing/simulator/telemetry-subscription.js';

const valid = {
  schemaVersion: '2022-12-13',
  types: ['platform', 'function'],
  buffering: { maxItems: 1000, maxBytes: 262144, timeoutMs: 25 },
  destination: { protocol: 'HTTP', URI: 'http://sandbox.localdomain:4243/telemetry' },
};

function messageOf(body: unknown): string {
  const r = parseSubscription(body, '127.0.0.1');
  if (r.ok) throw new Error('expected a validation error');
  return r.message;
}

describe('parseSubscription', () => {
  it('accepts a valid request and maps sandbox.localdomain to the telemetry host', () => {
    const r = parseSubscription(valid, '127.0.0.1');
    expect(r).toEqual({
      ok: true,
      value: {
        schemaVersion: '2022-12-13',
        types: ['platform', 'function'],
        buffering: { maxItems: 1000, maxBytes: 262144, timeoutMs: 25 },
        destination: 'http://sandbox.localdomain:4243/telemetry',
        deliverTo: 'http://127.0.0.1:4243/telemetry',
      },
    });
  });

  it('applies Lambda’s buffering defaults', () => {
    const r = parseSubscription({ ...valid, buffering: undefined }, '10.0.0.2');
    expect(r.ok && r.value.buffering).toEqual({ maxItems: 10000, maxBytes: 262144, timeoutMs: 1000 });
    expect(r.ok && r.value.deliverTo).toBe('http://10.0.0.2:4243/telemetry');
  });

  it.each([
    [{ timeoutMs: 24 }, /timeoutMs/],
    [{ timeoutMs: 30001 }, /timeoutMs/],
    [{ maxItems: 999 }, /maxItems/],
    [{ maxItems: 10001 }, /maxItems/],
    [{ maxBytes: 262143 }, /maxBytes/],
    [{ maxBytes: 1048577 }, /maxBytes/],
    [{ timeoutMs: 25.5 }, /timeoutMs/],
  ])('refuses buffering %j', (buffering, pattern) => {
    expect(messageOf({ ...valid, buffering: { ...valid.buffering, ...buffering } })).toMatch(pattern);
  });

  it('refuses bad schema versions, types and destinations', () => {
    expect(messageOf({ ...valid, schemaVersion: '2021-01-01' })).toMatch(/schemaVersion/);
    expect(messageOf({ ...valid, types: [] })).toMatch(/types/);
    expect(messageOf({ ...valid, types: ['platform', 'nope'] })).toMatch(/types/);
    expect(messageOf({ ...valid, destination: { protocol: 'TCP', URI: valid.destination.URI } })).toMatch(/protocol/);
    expect(messageOf({ ...valid, destination: { protocol: 'HTTP', URI: 'http://example.com:4243/' } })).toMatch(/sandbox\.localdomain/);
    expect(messageOf({ ...valid, destination: { protocol: 'HTTP', URI: 'http://sandbox.localdomain:9001/' } })).toMatch(/9001/);
    expect(messageOf({ ...valid, destination: { protocol: 'HTTP', URI: 'https://sandbox.localdomain:4243/' } })).toMatch(/http:/);
    expect(messageOf({ ...valid, destination: { protocol: 'HTTP', URI: 'not a url' } })).toMatch(/not a URL/);
    expect(messageOf(null)).toMatch(/JSON object/);
    expect(messageOf([valid])).toMatch(/JSON object/);
  });
});
