// Loads the SDK packages synchronously, so setupTelemetry() can register its providers before
// it returns (a meter taken at module scope in CommonJS then works). Importing the library
// still loads only @opentelemetry/api: this runs when setupTelemetry() is called. The OTLP
// exporters still load at their first export (lazy-exporter.ts).
import { createRequire } from 'node:module';

// A require for this file: __filename in the CommonJS build, import.meta.url in the ESM one (a
// bare `require` would be the bundler's ESM shim, which refuses to load anything).
const load: NodeJS.Require = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);

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
 * found from this file (the library was bundled with its dependencies: see loadSdkAsync).
 */
export function loadSdkSync(want: Want): Sdk | undefined {
  try {
    return loadAll(want);
  } catch (e) {
    if ((e as { code?: unknown } | null)?.code === 'MODULE_NOT_FOUND') return undefined;
    throw e;
  }
}

/**
 * The same with import(): a bundler sees these literal specifiers and bundles the SDK, which a
 * require made at run time cannot find. The providers are then registered once it resolves.
 */
export async function loadSdkAsync(want: Want): Promise<Sdk> {
  const [resources, core, hooks, apiLogs, trace, metrics, logs] = await Promise.all([
    import('@opentelemetry/resources'),
    import('@opentelemetry/core'),
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/api-logs'),
    want.traces ? import('@opentelemetry/sdk-trace') : undefined,
    want.metrics ? import('@opentelemetry/sdk-metrics') : undefined,
    want.logs ? import('@opentelemetry/sdk-logs') : undefined,
  ]);
  return { resources, core, hooks, apiLogs, ...(trace ? { trace } : {}), ...(metrics ? { metrics } : {}), ...(logs ? { logs } : {}) };
}

function loadAll(want: Want): Sdk {
  return {
    resources: load('@opentelemetry/resources') as Sdk['resources'],
    core: load('@opentelemetry/core') as Sdk['core'],
    hooks: load('@opentelemetry/context-async-hooks') as Sdk['hooks'],
    apiLogs: load('@opentelemetry/api-logs') as Sdk['apiLogs'],
    ...(want.traces ? { trace: load('@opentelemetry/sdk-trace') as TraceSdk } : {}),
    ...(want.metrics ? { metrics: load('@opentelemetry/sdk-metrics') as MetricSdk } : {}),
    ...(want.logs ? { logs: load('@opentelemetry/sdk-logs') as LogSdk } : {}),
  };
}
