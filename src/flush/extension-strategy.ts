// The extension's branch of chooseStrategy(): connect the extension when it is enabled, wire
// the Telemetry API into metrics and the SIGTERM path, and build the strategy of the mode.
import { warnOnce } from '../diag.js';
import { attachPlatform, connectExtension, currentPlatform, installLastReportWait } from '../extension/index.js';
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
  const bridge = connectExtension(resolved, process.env, mode !== 'sync');
  let observe: ((end: InvokeEnd) => void) | undefined;
  if (bridge) {
    if (bridge.subscribed) {
      attachPlatform(
        bridge,
        { meterProvider: options.meterProvider, tracerProvider: options.tracerProvider, loggerProvider: options.loggerProvider },
        resolved.telemetry?.forwardLogs ?? false,
      );
    }
    observe = (end) => {
      bridge.lastInvokeId = end.requestId;
      currentPlatform()?.invocationEnded(end.spanContext);
    };
    installLastReportWait(bridge);
  }
  const gate: InvokeGateLike | undefined = bridge?.gating ? bridge : undefined;
  const strategy = byMode(options, gate, observe);
  // A timed-out invoke's platform.report never reaches this process (Lambda resets it), so the
  // deadline guard is where the timeout is counted.
  if (strategy && bridge?.subscribed) strategy.onDeadline = (requestId) => currentPlatform()?.invocationTimedOut(requestId);
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
