// `function` / `extension` Telemetry API records → OpenTelemetry log records (forwardLogs).
import type { AnyValueMap, LoggerProvider, LogRecord } from '@opentelemetry/api-logs';
import { globalLoggerProvider } from '../internals/otel-api.js';
import type { TelemetryEvent } from './worker/protocol.js';

const SCOPE = 'otel-lambda-flush/logs';

/** Lambda's JSON log format levels → OpenTelemetry severity numbers. */
const SEVERITY: Record<string, number> = { TRACE: 1, DEBUG: 5, INFO: 9, WARN: 13, ERROR: 17, FATAL: 21 };

/**
 * Emits each `function` / `extension` record as a log record through the configured (else the
 * global) LoggerProvider: a text line becomes the body; a JSON-format record gives `message` as
 * the body, `level` as the severity, and its `requestId` as `faas.invocation_id`. Records are
 * not parsed further. Avoid a diag logger that writes to the console while forwarding: its lines
 * would be forwarded too.
 */
export function forwardLogs(events: TelemetryEvent[], provider?: LoggerProvider): void {
  const p = (provider ?? globalLoggerProvider()) as LoggerProvider | undefined;
  if (!p || typeof p.getLogger !== 'function') return;
  const logger = p.getLogger(SCOPE);
  for (const e of events) {
    if (e.type !== 'function' && e.type !== 'extension') continue;
    const attributes: AnyValueMap = { 'aws.lambda.log.source': e.type };
    const record: LogRecord = { timestamp: e.time, attributes };
    if (typeof e.record === 'string') {
      record.body = e.record.replace(/\n$/, '');
    } else {
      const r = e.record as Record<string, unknown>;
      record.body = typeof r.message === 'string' ? r.message : (r as AnyValueMap);
      if (typeof r.level === 'string') {
        record.severityText = r.level;
        const n = SEVERITY[r.level.toUpperCase()];
        if (n !== undefined) record.severityNumber = n;
      }
      if (typeof r.requestId === 'string') attributes['faas.invocation_id'] = r.requestId;
    }
    logger.emit(record);
  }
}
