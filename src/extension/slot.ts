// The process-wide extension state, kept on globalThis: one worker per process, even when two
// copies of the library (ESM + CJS, two bundles) or the early-boot module load. No imports with
// side effects: src/extension/early-boot.ts must stay light.
import type { ExtensionBridge } from './bridge.js';
import type { PlatformTelemetry } from './platform-metrics.js';

const KEY = Symbol.for('otel-lambda-flush.extension');

/** What the process keeps about its extension. */
export interface Slot {
  bridge?: ExtensionBridge;
  platform?: PlatformTelemetry;
  shutdownWait?: boolean;
  /** Why the worker could not start at import (reported when the handler is wrapped). */
  bootError?: string;
  /** The bridge's warnings go to the diag logger. */
  warnWired?: boolean;
}

/** This process's slot. */
export function slot(): Slot {
  const g = globalThis as unknown as Record<symbol, Slot | undefined>;
  return (g[KEY] ??= {});
}
