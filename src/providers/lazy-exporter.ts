// An exporter that loads the real one at its first export. The OTLP/HTTP exporters and what
// they pull in (otlp-exporter-base, otlp-transformer, node:http/https/zlib) are the largest
// part of setupTelemetry()'s module loading, and nothing needs them before the first flush:
// loading them there moves that cost off the cold start (and, in after-response mode, off the
// caller's path). Nothing is lost: exports wait for the load, and a failed load is a failed
// export (counted like any other by the counting wrapper).

interface ExportResultLike {
  code: number;
  error?: Error;
}

/** What the SDK processors and readers call on an exporter. */
export interface LazyExporterTarget<T> {
  export(items: T, resultCallback: (result: ExportResultLike) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/** The wrapper: every method present, plus `preload()`. */
export type LazyExporter<T> = Required<LazyExporterTarget<T>> & {
  /** Starts loading the real exporter now (idempotent); a failed load is reported at the first export. */
  preload(): void;
};

/** `ExportResultCode.FAILED` of @opentelemetry/core. */
const FAILED = 1;

/**
 * Wraps `load` (which imports and constructs the real exporter) as an exporter. `extra` adds
 * methods the SDK reads synchronously at construction (a metric exporter's temporality and
 * aggregation selectors), which therefore cannot wait for the load.
 */
export function lazyExporter<T, X extends object = object>(load: () => Promise<LazyExporterTarget<T>>, extra?: X): LazyExporter<T> & X {
  let inner: LazyExporterTarget<T> | undefined;
  let loading: Promise<LazyExporterTarget<T>> | undefined;
  const get = (): Promise<LazyExporterTarget<T>> =>
    (loading ??= load().then((exporter) => {
      inner = exporter;
      return exporter;
    }));
  const lazy: LazyExporter<T> = {
    export(items, resultCallback) {
      if (inner) {
        inner.export(items, resultCallback);
        return;
      }
      const fail = (error: unknown) => resultCallback({ code: FAILED, error: error instanceof Error ? error : new Error(String(error)) });
      get().then((exporter) => {
        try {
          exporter.export(items, resultCallback);
        } catch (error) {
          fail(error);
        }
      }, fail);
    },
    preload() {
      get().catch(() => undefined);
    },
    // Never loaded: nothing was exported, so there is nothing to flush or shut down.
    async shutdown() {
      if (loading) await (await loading.catch(() => undefined))?.shutdown();
    },
    async forceFlush() {
      if (loading) await (await loading.catch(() => undefined))?.forceFlush?.();
    },
  };
  return Object.assign(lazy, extra);
}
