// Decoding streamed HTTP integration responses: the prelude, the 8 NUL bytes, and what is not one.
import { describe, expect, it } from 'vitest';
import { decodeHttpStream, HTTP_INTEGRATION_TYPE } from '../../src/testing/simulator/streamed.js';

const frame = (prelude: string, body: Buffer | string): Buffer => Buffer.concat([Buffer.from(prelude), Buffer.alloc(8), Buffer.from(body)]);

describe('decodeHttpStream', () => {
  it('splits prelude and body at the first 8 NUL bytes; the body may hold NULs itself', () => {
    const body = Buffer.from([104, 0, 0, 0, 0, 0, 0, 0, 0, 105]);
    const r = decodeHttpStream(frame('{"statusCode":404,"headers":{"a":"b"},"cookies":["c=d"]}', body), `${HTTP_INTEGRATION_TYPE}; charset=utf-8`);
    expect(r).toMatchObject({ statusCode: 404, headers: { a: 'b' }, cookies: ['c=d'] });
    expect(Buffer.from(r!.bodyBytes).equals(body)).toBe(true);
  });

  it('returns undefined for other content types, a missing delimiter or a prelude that is not a JSON object', () => {
    expect(decodeHttpStream(frame('{}', 'x'), 'text/plain')).toBeUndefined();
    expect(decodeHttpStream(frame('{}', 'x'), undefined)).toBeUndefined();
    expect(decodeHttpStream(Buffer.from('{"statusCode":200}body'), HTTP_INTEGRATION_TYPE)).toBeUndefined();
    expect(decodeHttpStream(frame('{not json', 'x'), HTTP_INTEGRATION_TYPE)).toBeUndefined();
    expect(decodeHttpStream(frame('[1]', 'x'), HTTP_INTEGRATION_TYPE)).toBeUndefined();
    expect(decodeHttpStream(frame('{"statusCode":"201","cookies":"x"}', ''), HTTP_INTEGRATION_TYPE)).toMatchObject({ statusCode: 200, cookies: [], body: '' });
  });
});
