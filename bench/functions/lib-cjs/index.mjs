// The library function for a CommonJS bundle (the README's CommonJS esbuild command): the same
// as functions/lib, without top-level await, which CommonJS cannot have. setupTelemetry()
// registers the providers synchronously; `ready` is exported so bench/profile-entry.cjs can
// time the module to completion. In after-response mode the extension registers from its
// worker thread here (module loading cannot wait).
import { setupTelemetry, withFlush } from 'otel-lambda-flush';
import { memoryProbe } from '../probe.mjs';

export const ready = setupTelemetry();

export const handler = withFlush(async (event) => memoryProbe(event) ?? { ok: true });
