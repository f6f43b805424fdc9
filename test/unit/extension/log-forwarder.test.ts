import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { describe, expect, it } from 'vitest';
import { forwardLogs } from '../../../src/extension/log-forwarder.js';

describe('forwardLogs', () => {
  it('emits text and JSON-format function logs as log records, and nothing else', async () => {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
    const time = Date.UTC(2026, 0, 1);
    forwardLogs(
      [
        { time, type: 'function', record: '2026-01-01T00:00:00.000Z\tabc\tINFO\thello\n' },
        { time, type: 'function', record: { timestamp: 'x', level: 'ERROR', requestId: 'r1', message: 'bad thing' } },
        { time, type: 'extension', record: { level: 'whatever', other: 1 } },
        { time, type: 'platform.start', record: { requestId: 'r1' } },
      ],
      provider,
    );
    await provider.forceFlush();
    const logs = exporter.getFinishedLogRecords();
    expect(logs.map((l) => l.body)).toEqual(['2026-01-01T00:00:00.000Z\tabc\tINFO\thello', 'bad thing', { level: 'whatever', other: 1 }]);
    expect(logs[1]!.severityNumber).toBe(17);
    expect(logs[1]!.attributes).toMatchObject({ 'faas.invocation_id': 'r1', 'aws.lambda.log.source': 'function' });
    expect(logs[2]!.attributes['aws.lambda.log.source']).toBe('extension');
    expect(logs[2]!.severityNumber).toBeUndefined();
    expect(logs[0]!.hrTime[0]).toBe(time / 1000);
  });
});
