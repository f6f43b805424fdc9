import { TraceFlags } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { parseTraceparent, parseXRayHeader } from '../../../src/invocation/triggers/trace-headers.js';

describe('parseXRayHeader', () => {
  it('parses Root, Parent and Sampled in any order, ignoring extra fields', () => {
    const parsed = parseXRayHeader('Sampled=1;Lineage=a87bd80c:1|68fd508a:5;Parent=53995C3F42CD8AD8; Root=1-5759e988-bd862e3fe1be46a994272793');
    expect(parsed).toEqual({
      sampled: true,
      spanContext: { traceId: '5759e988bd862e3fe1be46a994272793', spanId: '53995c3f42cd8ad8', traceFlags: TraceFlags.SAMPLED, isRemote: true },
    });
  });

  it.each([
    ['Sampled=0', false, TraceFlags.NONE],
    ['Sampled=?', undefined, TraceFlags.NONE],
    ['', undefined, TraceFlags.NONE],
  ])('%s → sampled %s', (sampled, expected, flags) => {
    const parsed = parseXRayHeader(`Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;${sampled}`);
    expect(parsed?.sampled).toBe(expected);
    expect(parsed?.spanContext.traceFlags).toBe(flags);
  });

  it.each([
    ['no parent', 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1'],
    ['bad root version', 'Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8'],
    ['short root', 'Root=1-5759e98-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8'],
    ['short parent', 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad'],
    ['zero ids', 'Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=1'],
    ['garbage', 'hello'],
    ['not a string', 42],
    ['too long', `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;X=${'a'.repeat(3000)}`],
  ])('rejects %s', (_label, header) => {
    expect(parseXRayHeader(header)).toBeUndefined();
  });
});

describe('parseTraceparent', () => {
  it('parses version 00 with flags and tracestate', () => {
    const sc = parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'a=1,b=2');
    expect(sc).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1, isRemote: true });
    expect(sc?.traceState?.get('b')).toBe('2');
  });

  it('accepts future versions with extra fields, keeps only the sampled flag', () => {
    expect(parseTraceparent('cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03-extra')?.traceFlags).toBe(1);
  });

  it.each([
    '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra',
    'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
    '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
    '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01',
    'garbage',
    undefined,
  ])('rejects %s', (header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });
});
