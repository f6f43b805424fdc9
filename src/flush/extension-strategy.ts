// The extension's branch of chooseStrategy(): connect the extension when it is enabled, wire
// the Telemetry API into metrics and the SIGTERM path, and build the strategy of the mode.
import { warnOnce } from '../diag.js';
import { attachPlatform, beginExtension, currentPlatform, installLastReportWait } from '../extension/index.js';
import { resolveExtensionOptions } from '../extension/options.js';
import type { ResolvedOptions } from '../options.js';
import { processState } from '../state.js';
import { AfterResponseStrategy, flushAround, type InvokeGateLike } from './after-response-strategy.js';
import { DEFAULT_ADAPTIVE, DEFAULT_NEAR_DEADLINE_MS } from './modes.js';
import { PeriodicStrategy } from './periodic-strategy.js';
import type { FlushStrategy, InvokeEnd } from './types.js';

/**
 * Returns the strategy for `options` when it is not plain `sync` without the extension;
 * `undefined` means "use the sync strategy". Never throws for environment problems (those
 * degrade to `sync` with one warning).
 */
export function chooseExtensionStrategy(options: ResolvedOptions): FlushStrategy | undefined {
  const mode = options.flush.mode;
  if (options.extension === false) {
    if (mode === 'sync') return undefined;
    if (mode === 'after-response') {
      warnOnce('mode-needs-extension', 'flush mode after-response needs the extension (extension: true or OTEL_LAMBDA_EXTENSION=true): flushing before the response');
      return undefined;
    }
    warnOnce(
      'periodic-without-extension',
      `flush mode ${mode} without the extension: Lambda sends no SIGTERM, so telemetry held between flushes can be lost when the environment ends`,
    );
    return periodic(options, mode, undefined, undefined);
  }

  // Only after-response / periodic / adaptive hold invokes; `sync` registers for no event and
  // keeps the extension for SIGTERM and the Telemetry API.
  const resolved = resolveExtensionOptions(options.extension);
  const pending = beginExtension(resolved, process.env, mode !== 'sync');
  if (!pending) return byMode(options, undefined, undefined);
  const bridge = pending.bridge;
  // The worker registers while the rest of module loading runs; the wait for it is a microtask
  // queued now. It runs after the work already queued (such as setupTelemetry()'s SDK loading,
  // which then overlaps the worker's boot) and before the runtime client can call its first
  // /next, which only happens after module loading returned, later in the same queue. The
  // strategy reads the outcome live at each invoke (`gating`), so it can be built now.
  queueMicrotask(() => {
    if (!pending.finish() || !bridge.subscribed) return;
    attachPlatform(
      bridge,
      { meterProvider: options.meterProvider, tracerProvider: options.tracerProvider, loggerProvider: options.loggerProvider },
      resolved.telemetry?.forwardLogs ?? false,
    );
  });
  const observe = (end: InvokeEnd): void => {
    bridge.lastInvokeId = end.requestId;
    currentPlatform()?.invocationEnded(end.spanContext, end.requestId);
  };
  installLastReportWait(bridge);
  // Holds invokes only once registered for INVOKE; before (or without) that, it flushes before
  // the response and its `done` does nothing.
  const gate: InvokeGateLike = bridge;
  const strategy = byMode(options, gate, observe);
  // A timed-out invoke's platform.report never reaches this process (Lambda resets it), so the
  // deadline guard is where the timeout is counted (once the Telemetry API is attached).
  if (strategy) strategy.onDeadline = (requestId) => currentPlatform()?.invocationTimedOut(requestId);
  return strategy;
}

function byMode(options: ResolvedOptions, gate: InvokeGateLike | undefined, observe: ((end: InvokeEnd) => void) | undefined): FlushStrategy | undefined {
  const mode = options.flush.mode;
  switch (mode) {
    case 'sync':
      // An earlier wrapper may have registered for INVOKE: release every invoke all the same.
      return gate ? syncReleasing(gate, observe) : observe ? syncObserving(observe) : undefined;
    case 'after-response':
      return new AfterResponseStrategy(gate, observe);
    case 'periodic':
    case 'adaptive':
      return periodic(options, mode, gate, observe);
  }
}

function periodic(
  options: ResolvedOptions,
  mode: 'periodic' | 'adaptive',
  gate: InvokeGateLike | undefined,
  observe: ((end: InvokeEnd) => void) | undefined,
): FlushStrategy {
  const health = processState().health;
  return new PeriodicStrategy({
    mode,
    periodic: { intervalMs: options.flush.intervalMs, maxPending: options.flush.maxPending, nearDeadlineMs: DEFAULT_NEAR_DEADLINE_MS },
    adaptive: { ...DEFAULT_ADAPTIVE, pauseGapMs: options.flush.intervalMs },
    pending: () => health.pending.traces + health.pending.logs,
    ...(gate ? { gate } : {}),
    ...(observe ? { observe } : {}),
  });
}

function syncObserving(observe: (end: InvokeEnd) => void): FlushStrategy {
  return {
    mode: 'sync',
    async onInvokeEnd(end) {
      observe(end);
      await end.flush('invoke');
    },
  };
}

function syncReleasing(gate: InvokeGateLike, observe: ((end: InvokeEnd) => void) | undefined): FlushStrategy {
  // Flush before the response, then release the extension's hold.
  const ungated: InvokeGateLike = { gating: false, done: (id) => gate.done(id) };
  return {
    mode: 'sync',
    onInvokeEnd(end) {
      observe?.(end);
      return flushAround(end, 'invoke', ungated);
    },
  };
}
