// Every read of @opentelemetry/api's (and api-logs') private globals and internals, in one
// place, each pinned by test/unit/internals/otel-api.test.ts for the supported API versions.
// Dependency-free: the warning channel and the early boot use it before the API is loaded.

/** The API's global registry; its key carries the API's major version (1.x). */
const API_REGISTRY = Symbol.for('opentelemetry.js.api.1');
/** api-logs' global getter; must match API_BACKWARDS_COMPATIBILITY_VERSION of @opentelemetry/api-logs. */
const LOGS_KEY = Symbol.for('io.opentelemetry.js.api.logs');
const LOGS_API_VERSION = 1;

/** The registered diag logger, when a user (or setupTelemetry) registered one. */
export function registeredDiagLogger(): { warn(message: string): void } | undefined {
  const registry = (globalThis as unknown as Record<symbol, { diag?: { warn?: unknown } } | undefined>)[API_REGISTRY];
  const d = registry?.diag;
  return d !== undefined && typeof d.warn === 'function' ? (d as { warn(message: string): void }) : undefined;
}

/** The global logger provider, read from the api-logs global without importing api-logs. */
export function globalLoggerProvider(): unknown {
  const getter = (globalThis as unknown as Record<symbol, ((v: number) => unknown) | undefined>)[LOGS_KEY];
  return typeof getter === 'function' ? getter(LOGS_API_VERSION) : undefined;
}

interface ContextApiLike {
  _getContextManager?: () => unknown;
}

/**
 * The AsyncLocalStorage of the registered context manager (`AsyncLocalStorageContextManager`
 * keeps it in `_asyncLocalStorage`), so a context can be entered for the rest of an async flow
 * where the API offers no scope (middy's `before`). Undefined with any other context manager.
 */
export function contextStorage(contextApi: unknown): { enterWith(ctx: unknown): void } | undefined {
  const manager = (contextApi as ContextApiLike)._getContextManager?.();
  const als = (manager as { _asyncLocalStorage?: { enterWith?: unknown } } | undefined)?._asyncLocalStorage;
  return als !== undefined && typeof als.enterWith === 'function' ? (als as { enterWith(ctx: unknown): void }) : undefined;
}

/**
 * Which signals have a provider registered globally. The trace and metrics APIs put their
 * proxy in the registry only when `setGlobal*Provider` is called; api-logs installs its getter
 * only then. Nothing registered means every span, metric and log record is a silent no-op.
 */
export function registeredGlobalProviders(): { traces: boolean; metrics: boolean; logs: boolean } {
  const registry = (globalThis as unknown as Record<symbol, { trace?: unknown; metrics?: unknown } | undefined>)[API_REGISTRY];
  return {
    traces: registry?.trace !== undefined,
    metrics: registry?.metrics !== undefined,
    logs: typeof (globalThis as unknown as Record<symbol, unknown>)[LOGS_KEY] === 'function',
  };
}
