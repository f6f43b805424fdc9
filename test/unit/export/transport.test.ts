// Exporter selection from OTEL_*_EXPORTER, the stdout exporter's lines, the limit variables.
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { exporterKind } from '../../../src/providers/exporters.js';
import { logRecordLimitsFromEnv, spanLimitsFromEnv } from '../../../src/providers/limits.js';
import { MAX_LINE_BYTES, stdoutExporter } from '../../../src/providers/stdout-exporter.js';

describe('exporterKind', () => {
  it('reads otlp, none and the stdout names; the first known entry of a list wins; unknown → otlp', () => {
    expect(exporterKind('traces', {})).toBe('otlp');
    expect(exporterKind('traces', { OTEL_TRACES_EXPORTER: 'none' })).toBe('none');
    for (const name of ['otlp/stdout', 'otlp_file', 'otlp_file/development', 'experimental-otlp/stdout']) {
      expect(exporterKind('logs', { OTEL_LOGS_EXPORTER: name })).toBe('stdout');
    }
    expect(exporterKind('metrics', { OTEL_METRICS_EXPORTER: 'prometheus,OTLP/STDOUT' })).toBe('stdout');
    expect(exporterKind('metrics', { OTEL_METRICS_EXPORTER: 'zipkin' })).toBe('otlp');
  });
});

describe('stdoutExporter', () => {
  it('writes one OTLP JSON line per batch, splitting batches over the line limit', () => {
    const lines: string[] = [];
    const exp = stdoutExporter('traces', JsonTraceSerializer, (l) => lines.push(l));
    const span = (i: number) => ({
      name: `s${i}`,
      kind: 0,
      spanContext: () => ({ traceId: '1'.repeat(32), spanId: (i + 1).toString(16).padStart(16, '0'), traceFlags: 1 }),
      parentSpanContext: undefined,
      startTime: [1, 0], endTime: [2, 0], duration: [1, 0],
      status: { code: 0 }, attributes: { big: 'x'.repeat(60_000) }, links: [], events: [],
      ended: true, droppedAttributesCount: 0, droppedEventsCount: 0, droppedLinksCount: 0,
      resource: { attributes: {}, droppedAttributesCount: 0 },
      instrumentationScope: { name: 't' },
    });
    let code = -1;
    exp.export([0, 1, 2, 3, 4].map(span) as never, (r) => (code = r.code));
    expect(code).toBe(0);
    expect(lines.length).toBeGreaterThan(1);
    const names: string[] = [];
    for (const line of lines) {
      expect(line.endsWith('\n')).toBe(true);
      expect(Buffer.byteLength(line)).toBeLessThan(MAX_LINE_BYTES + 1);
      const body = JSON.parse(line) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string }> }> }> };
      names.push(...body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((x) => x.name))));
    }
    expect(names).toEqual(['s0', 's1', 's2', 's3', 's4']);
  });
});

describe('limits from env', () => {
  it('span limits: OTEL_SPAN_* wins over OTEL_ATTRIBUTE_*; unset ones are left to the SDK; bad values ignored', () => {
    expect(spanLimitsFromEnv({})).toEqual({});
    expect(
      spanLimitsFromEnv({
        OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '100', OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: '50', OTEL_ATTRIBUTE_COUNT_LIMIT: '20',
        OTEL_SPAN_EVENT_COUNT_LIMIT: '5', OTEL_SPAN_LINK_COUNT_LIMIT: '3', OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT: 'x',
      }),
    ).toEqual({ attributeValueLengthLimit: 50, attributeCountLimit: 20, eventCountLimit: 5, linkCountLimit: 3 });
    expect(logRecordLimitsFromEnv({ OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '100', OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT: '7' })).toEqual({
      attributeValueLengthLimit: 100, attributeCountLimit: 7,
    });
  });
});

describe('useSingleAttempts (OTLP exporter internals, pinned to the installed otlp-exporter-base)', () => {
  it('recognises the trace, metric and log exporters and replaces their retrying transport', async () => {
    const { useSingleAttempts } = await import('../../../src/providers/otlp-attempt.js');
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-http');
    const { OTLPLogExporter } = await import('@opentelemetry/exporter-logs-otlp-http');
    for (const e of [new OTLPTraceExporter(), new OTLPMetricExporter(), new OTLPLogExporter()]) {
      const before = (e as unknown as { _delegate: { _transport: unknown } })._delegate._transport;
      expect(useSingleAttempts(e, () => 100)).toBe(true);
      expect((e as unknown as { _delegate: { _transport: unknown } })._delegate._transport).not.toBe(before);
    }
    expect(useSingleAttempts({}, () => 100)).toBe(false);
  });
});
