// The extension's part of the process state (src/state.ts): one worker per process, even when
// two copies of the library (ESM + CJS, two bundles) or the early-boot module load.
// No imports with side effects: the early boot must stay light.
import { processState } from '../state.js';
import type { ExtensionBridge } from './bridge.js';
import type { PlatformTelemetry } from './platform-metrics.js';

/** What the process keeps about its extension. */
export interface Slot {
  bridge?: ExtensionBridge;
  platform?: PlatformTelemetry;
  shutdownWait?: boolean;
  /** Why the worker could not start at import (reported when the handler is wrapped). */
  bootError?: string;
  /** The main thread's registration (at `await setupTelemetry()`): settles once, never rejects. */
  mainThread?: Promise<void>;
}

/** This process's slot. */
export function slot(): Slot {
  return processState().extension as Slot;
}
