// Loads the SDK packages synchronously, so setupTelemetry() can register its providers before
// it returns (a meter taken at module scope in CommonJS then works). Importing the library
// still loads only @opentelemetry/api: this runs when setupTelemetry() is called. The OTLP
// exporters still load at their first export (lazy-exporter.ts).
//
// Each package is a literal `require('<package>')` behind a `typeof require` guard; what it
// becomes is the build's choice (scripts/build.mjs): in the package's Node build each points at
// dist/sdk/sdk.cjs, one pre-bundled file; the layer inlines them; the bundlers' build uses
// sdk-static.ts instead of this file. Where there is no `require` (the source run as an ES
// module, as the tests do) the guard takes createRequire.
import { createRequire } from 'node:module';

let esmRequire: NodeJS.Require | undefined;
/** A require for this file where there is no `require` (the source run as an ES module). */
function fallback(id: string): unknown {
  esmRequire ??= createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
  return esmRequire(id);
}

export type TraceSdk = typeof import('@opentelemetry/sdk-trace');
export type MetricSdk = typeof import('@opentelemetry/sdk-metrics');
export type LogSdk = typeof import('@opentelemetry/sdk-logs');

export interface Sdk {
  resources: typeof import('@opentelemetry/resources');
  core: typeof import('@opentelemetry/core');
  hooks: typeof import('@opentelemetry/context-async-hooks');
  apiLogs: typeof import('@opentelemetry/api-logs');
  trace?: TraceSdk;
  metrics?: MetricSdk;
  logs?: LogSdk;
}

type Want = { traces: boolean; metrics: boolean; logs: boolean };

/**
 * The SDK modules for the signals wanted, loaded synchronously; undefined when they cannot be
 * found from this file (not installed, and not bundled with the function).
 */
export function loadSdkSync(want: Want): Sdk | undefined {
  try {
    return loadAll(want);
  } catch (e) {
    if ((e as { code?: unknown } | null)?.code === 'MODULE_NOT_FOUND') return undefined;
    throw e;
  }
}

function loadAll(want: Want): Sdk {
  const cjs = typeof require === 'function';
  return {
    resources: (cjs ? require('@opentelemetry/resources') : fallback('@opentelemetry/resources')) as Sdk['resources'],
    core: (cjs ? require('@opentelemetry/core') : fallback('@opentelemetry/core')) as Sdk['core'],
    hooks: (cjs ? require('@opentelemetry/context-async-hooks') : fallback('@opentelemetry/context-async-hooks')) as Sdk['hooks'],
    apiLogs: (cjs ? require('@opentelemetry/api-logs') : fallback('@opentelemetry/api-logs')) as Sdk['apiLogs'],
    ...(want.traces ? { trace: (cjs ? require('@opentelemetry/sdk-trace') : fallback('@opentelemetry/sdk-trace')) as TraceSdk } : {}),
    ...(want.metrics ? { metrics: (cjs ? require('@opentelemetry/sdk-metrics') : fallback('@opentelemetry/sdk-metrics')) as MetricSdk } : {}),
    ...(want.logs ? { logs: (cjs ? require('@opentelemetry/sdk-logs') : fallback('@opentelemetry/sdk-logs')) as LogSdk } : {}),
  };
}
