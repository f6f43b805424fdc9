// What the simulator reports when an invoke ends: the platform.report event, the error Lambda
// gives an invoke that did not end, and the response as the caller sees it.
import { performance } from 'node:perf_hooks';
import { isoAt, round, type Environment, type InvokeState, type Outcome } from './environment.js';
import { decodeHttpStream } from './streamed.js';
import type { InvokeError, InvokeResult, InvokeStatus, StreamedResponse } from './types.js';

/** Time an extension held the invoke after the runtime was back on /next (0 when none did). */
export function extensionOverhead(inv: InvokeState): number {
  if (inv.runtimeDoneAt === undefined || inv.lastExtDoneAt === undefined || inv.lastExtDoneAt <= inv.runtimeDoneAt) return 0;
  return (inv.endedAt ?? inv.lastExtDoneAt) - inv.runtimeDoneAt;
}

/** The response body, JSON-parsed when it is JSON. */
export function parseResponse(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

/** `response` (and `stream` for a streamed one) of an InvokeResult. */
export function responseFields(outcome: Outcome): Pick<InvokeResult, 'response' | 'stream'> {
  if (outcome.kind !== 'response') return {};
  if (!outcome.streamed) return { response: parseResponse(outcome.body) };
  const http = decodeHttpStream(outcome.bytes, outcome.contentType);
  const stream: StreamedResponse = { raw: new Uint8Array(outcome.bytes), ...(outcome.contentType ? { contentType: outcome.contentType } : {}), ...(http ? { http } : {}) };
  return { response: http ?? outcome.body, stream };
}

/** Why an invoke did not end: the deadline passed (timeout) or the process died (failure). */
export function abortError(env: Environment, inv: InvokeState, timeoutMs: number): { status: InvokeStatus; error: InvokeError } {
  if (!env.dead) {
    const error = { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${inv.requestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds` };
    return { status: 'timeout', error };
  }
  if (env.outOfMemory) {
    return { status: 'error', error: { errorType: 'Runtime.OutOfMemory', errorMessage: `RequestId: ${inv.requestId} Error: Runtime exited with error: signal: killed` } };
  }
  const how = env.exit?.signal ? `signal: ${env.exit.signal}` : `exit status ${env.exit?.code ?? 'unknown'}`;
  return { status: 'failure', error: { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${inv.requestId} Error: Runtime exited with error: ${how}` } };
}

/** Emits platform.report for an invoke that ended (or was cut short). */
export function emitReport(env: Environment, inv: InvokeState, status: string, errorType: string | undefined): void {
  const opts = env.opts;
  const ended = inv.endedAt ?? performance.now();
  const durationMs = round(ended - inv.handedAt);
  const metrics: Record<string, number> = {
    durationMs,
    billedDurationMs: Math.ceil(durationMs),
    memorySizeMB: opts.memorySizeMb,
    maxMemoryUsedMB: env.peakMemoryMb() ?? 0,
  };
  if (inv.coldStart && opts.initializationType === 'on-demand' && env.initDoneAt !== undefined) {
    metrics.initDurationMs = round(env.initDoneAt - env.spawnedAt);
  }
  const spans: object[] = [];
  const overhead = extensionOverhead(inv);
  if (overhead > 0 && inv.runtimeDoneAt !== undefined) {
    spans.push({ name: 'extensionOverhead', start: isoAt(inv.runtimeDoneAt), durationMs: round(overhead) });
  }
  env.telemetry.emit('platform.report', {
    requestId: inv.requestId,
    status,
    ...(errorType ? { errorType } : {}),
    metrics,
    ...(spans.length > 0 ? { spans } : {}),
    tracing: { type: 'X-Amzn-Trace-Id', value: inv.traceId },
  });
}
