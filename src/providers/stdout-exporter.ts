// OTLP JSON lines on stdout: one ExportTrace/Metrics/LogsServiceRequest per line, the format of
// the OpenTelemetry "OTLP File" exporter (JSON Lines). Lambda sends stdout to CloudWatch Logs,
// which keeps it, and a log subscription forwarder can ship it to a collector: no network on
// the invoke path. Lines stay under CloudWatch's 256 KiB event limit by splitting batches.
import type { Signal } from '../outcome.js';

interface Serializer<T> {
  serializeRequest(items: T): Uint8Array | undefined;
}

/** Largest line written; a bigger batch is split (CloudWatch Logs events are at most 256 KiB). */
export const MAX_LINE_BYTES = 200 * 1024;

const SUCCESS = 0;
const FAILED = 1;

/** An exporter writing OTLP JSON lines with `write` (default: process.stdout). */
export function stdoutExporter<T>(
  signal: Signal,
  serializer: Serializer<T>,
  write: (line: string) => void = (line) => void process.stdout.write(line),
) {
  const decoder = new TextDecoder();
  const emit = (items: T): void => {
    const bytes = serializer.serializeRequest(items);
    if (!bytes) return;
    if (bytes.byteLength > MAX_LINE_BYTES && Array.isArray(items) && items.length > 1) {
      const half = Math.ceil(items.length / 2);
      emit(items.slice(0, half) as T);
      emit(items.slice(half) as T);
      return;
    }
    write(`${decoder.decode(bytes)}\n`);
  };
  return {
    signal,
    export(items: T, resultCallback: (result: { code: number; error?: Error }) => void): void {
      try {
        emit(items);
        resultCallback({ code: SUCCESS });
      } catch (e) {
        resultCallback({ code: FAILED, error: e instanceof Error ? e : new Error(String(e)) });
      }
    },
    shutdown: (): Promise<void> => Promise.resolve(),
    forceFlush: (): Promise<void> => Promise.resolve(),
  };
}
