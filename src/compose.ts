// The one composer: builds what a front door needs for its options — resolved configuration,
// flusher, flush strategy (joining the flush side and the extension, which never import each
// other) — registers it as a flush target for SIGTERM and flushNow, and installs SIGTERM.
import type { OtelLambdaOptions, ResolvedOptions } from './config/options.js';
import { resolveOptions } from './config/options.js';
import { applyLogLevel, warnOnce } from './diag.js';
import { linkExtension } from './extension/index.js';
import { AfterResponseStrategy } from './flush/after-response-strategy.js';
import { BackgroundStrategy } from './flush/background-strategy.js';
import { ProviderFlusher } from './flush/flusher.js';
import { NO_GATE, NO_LINKS, type StrategyLinks } from './flush/gate.js';
import { DEFAULT_ADAPTIVE, DEFAULT_NEAR_DEADLINE_MS } from './flush/modes.js';
import { PeriodicStrategy } from './flush/periodic-strategy.js';
import { SyncStrategy } from './flush/sync-strategy.js';
import { resolveTargets } from './flush/targets.js';
import type { FlushReason, FlushStrategy } from './flush/types.js';
import { InvocationCore } from './invocation/lifecycle.js';
import { callUserCode } from './invocation/user-code.js';
import { inRuntimeWorker } from './threads.js';
import { joinAsRuntimeWorker, reportEnded } from './managed/worker-side.js';
import { installSigtermHandler } from './shutdown.js';
import { processState } from './state.js';

/** Wrappers remembered for SIGTERM and flushNow (far above what a function builds at module scope). */
const MAX_FLUSH_TARGETS = 64;

/** The extension's links for these options, or NO_LINKS (after one warning) where it cannot run. */
function extensionLinks(options: ResolvedOptions): StrategyLinks {
  if (options.concurrent && inRuntimeWorker()) {
    // Managed Instances: one extension per environment, registered by the main thread's part
    // (the register preload); the worker threads never register (src/managed/).
    if (options.flush.mode === 'after-response' || options.flush.mode === 'periodic' || options.flush.mode === 'adaptive') {
      warnOnce('extension-managed-worker', `Lambda Managed Instances: the extension runs on the main thread only and cannot hold invokes; flush mode ${options.flush.mode} flushes before the response when due (the default there, background, never does)`);
    }
    // Each ended invoke is told to the main thread, whose Telemetry API listener counts it.
    return { gate: NO_GATE, observe: (end) => reportEnded(end.requestId) };
  }
  if (options.extension === false) return NO_LINKS;
  // Only after-response / periodic / adaptive hold invokes; `sync` and `background` register for
  // no event and keep the extension for SIGTERM and the Telemetry API.
  const mode = options.flush.mode;
  const link = linkExtension(options.extension, mode !== 'sync' && mode !== 'background', {
    meterProvider: options.meterProvider,
    tracerProvider: options.tracerProvider,
    loggerProvider: options.loggerProvider,
  });
  return link ? { gate: link.gate, observe: (end) => link.observe(end), onDeadline: (id) => link.onDeadline(id) } : NO_LINKS;
}

/** The strategy of the mode, over the extension's links. `flush`: the bounded flush a background flush runs. */
export function composeStrategy(options: ResolvedOptions, flush: (reason: FlushReason) => Promise<unknown> = () => Promise.resolve()): FlushStrategy {
  const mode = options.flush.mode;
  if (options.extension === false && mode === 'after-response') {
    warnOnce('mode-needs-extension', 'flush mode after-response needs the extension (extension: true or OTEL_LAMBDA_EXTENSION=true): flushing before the response');
    return new SyncStrategy();
  }
  if (mode === 'background' && !options.concurrent) {
    warnOnce('background-frozen', 'flush mode background outside Lambda Managed Instances: the process is frozen between invokes, so background exports stall and telemetry can be lost when the environment ends');
  }
  if (options.extension === false && mode !== 'sync' && mode !== 'background') {
    warnOnce('periodic-without-extension', `flush mode ${mode} without the extension: Lambda sends no SIGTERM, so telemetry held between flushes can be lost when the environment ends`);
  }
  const links = extensionLinks(options);
  switch (mode) {
    case 'sync':
      return new SyncStrategy(links);
    case 'after-response':
      return new AfterResponseStrategy(links);
    case 'background': {
      const health = processState().health;
      return new BackgroundStrategy({
        intervalMs: options.flush.intervalMs,
        maxPending: options.flush.maxPending,
        pending: () => health.pending.traces + health.pending.logs,
        flush,
        links,
      });
    }
    case 'periodic':
    case 'adaptive': {
      const health = processState().health;
      return new PeriodicStrategy({
        mode,
        periodic: { intervalMs: options.flush.intervalMs, maxPending: options.flush.maxPending, nearDeadlineMs: DEFAULT_NEAR_DEADLINE_MS },
        adaptive: { ...DEFAULT_ADAPTIVE, pauseGapMs: options.flush.intervalMs },
        pending: () => health.pending.traces + health.pending.logs,
        links,
      });
    }
  }
}

/** Builds the core for a front door: validates options (TypeError), flusher, strategy, SIGTERM. */
export function createCore(input: OtelLambdaOptions | undefined): InvocationCore {
  const options = resolveOptions(input);
  applyLogLevel();
  const onFlush = options.onFlush;
  const targets = () => resolveTargets(options);
  const flusher = new ProviderFlusher(targets, onFlush ? (outcome) => callUserCode('onFlush', onFlush, outcome) : undefined);
  const core = new InvocationCore({
    options,
    flusher,
    strategy: composeStrategy(options, (reason) => flusher.flush(options.flushTimeoutMs, reason)),
    providers: () => {
      const t = targets();
      return [t.traces, t.metrics, t.logs];
    },
  });
  // Bounded: a wrapper built per invoke (inside the handler) would otherwise grow this forever.
  const all = processState().targets;
  if (all.size < MAX_FLUSH_TARGETS) all.add(core);
  else warnOnce('too-many-wrappers', `more than ${MAX_FLUSH_TARGETS} wrappers built in this process: build withFlush()/otelFlush() once, at module scope (the extra ones are not flushed at SIGTERM)`);
  if (options.handleSigterm) installSigtermHandler();
  // Signals reach the main thread only: a runtime worker thread flushes at the main thread's word.
  if (options.concurrent && inRuntimeWorker()) joinAsRuntimeWorker(options.flush.intervalMs);
  return core;
}
