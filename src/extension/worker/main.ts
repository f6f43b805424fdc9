// Entry of the extension worker thread. Bundled into one script (scripts/worker-source.mjs) and
// started with `new Worker(source, { eval: true })`. Imports node builtins and its own files only:
// its boot time is paid by every cold start.
import { lookup } from 'node:dns';
import { isIP } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { DEFAULT_TELEMETRY_HOST } from '../defaults.js';
import { ExtensionsApi, ExtensionsApiError } from './extensions-api.js';
import { InvokeGate } from './gate.js';
import {
  FLAG_INVOKE,
  FLAG_TELEMETRY,
  SLOT_FLAGS,
  SLOT_REFUSED_STATUS,
  SLOT_STATE,
  SLOT_TELEMETRY_PORT,
  STATE_FAILED,
  STATE_REGISTERED,
  type FromWorker,
  type ToWorker,
  type WorkerConfig,
  type WorkerData,
} from './protocol.js';
import { BODY_SLACK_BYTES, emptyListenerStats, startTelemetryListener, type TelemetryListener } from './telemetry-listener.js';

const port = parentPort;
const data = workerData as WorkerData;
const shared = new Int32Array(data.shared);
const gate = new InvokeGate();
let abandoned = false;
let configured = false;
let listener: TelemetryListener | undefined;

/** Bounded retries of a failing `/event/next` before the loop gives up. */
const NEXT_RETRIES = 5;

function post(message: FromWorker): void {
  port?.postMessage(message);
}

function signal(state: number, flags = 0, telemetryPort = 0): void {
  Atomics.store(shared, SLOT_TELEMETRY_PORT, telemetryPort);
  Atomics.store(shared, SLOT_FLAGS, flags);
  Atomics.store(shared, SLOT_STATE, state);
  Atomics.notify(shared, SLOT_STATE);
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// Name lookups started ahead of the configuration (at most a handful of hosts per process).
const lookups = new Map<string, Promise<{ address?: string; error?: unknown }>>();

/** Resolves `host` once (an IP address as is); never rejects. */
function resolveHost(host: string): Promise<{ address?: string; error?: unknown }> {
  if (isIP(host) !== 0) return Promise.resolve({ address: host });
  let p = lookups.get(host);
  if (!p) {
    p = new Promise((resolve) => {
      lookup(host, (error, address) => resolve(error ? { error } : { address }));
    });
    lookups.set(host, p);
  }
  return p;
}

// Start the listener host's lookup now, while the main thread still loads modules: outside
// Lambda `sandbox.localdomain` does not resolve, and finding that out takes a DNS round trip.
if (data.prepare) {
  void resolveHost(data.prepare.host);
}

/**
 * Binds the Telemetry API listener on the address `host` resolves to (what `listen(port, host)`
 * would do), or on loopback when the sandbox name does not resolve (outside Lambda: the test
 * kit delivers to 127.0.0.1). Never rejects.
 */
async function bindListener(t: NonNullable<WorkerConfig['telemetry']>): Promise<{ listener?: TelemetryListener; error?: unknown }> {
  const resolved = await resolveHost(t.host);
  let address = resolved.address;
  if (address === undefined) {
    const code = (resolved.error as { code?: unknown }).code;
    if (t.host !== DEFAULT_TELEMETRY_HOST || (code !== 'ENOTFOUND' && code !== 'EAI_AGAIN')) return { error: resolved.error };
    address = '127.0.0.1';
  }
  try {
    const listener = await startTelemetryListener({
      host: address,
      port: t.port,
      maxBodyBytes: 2 * t.buffering.maxBytes + BODY_SLACK_BYTES,
      bodyTimeoutMs: t.bodyTimeoutMs,
      onEvents: (events) => post({ type: 'telemetry', events }),
    });
    return { listener };
  } catch (error) {
    return { error };
  }
}

async function boot(config: WorkerConfig): Promise<void> {
  const t = config.telemetry;
  if (abandoned) {
    signal(STATE_FAILED);
    return;
  }
  const api = new ExtensionsApi(config.runtimeApi);
  // The registration request goes out first; the listener is bound while it is answered.
  const registering = api.register(config.name, config.invoke ? ['INVOKE'] : []).then(
    () => undefined,
    (err: unknown) => ({ err }),
  );
  const [refused, bound] = await Promise.all([registering, t ? bindListener(t) : undefined]);
  if (t && bound && !bound.listener) {
    post({
      type: 'warn',
      once: 'telemetry-listener',
      message: `Telemetry API listener could not listen on ${t.host}:${t.port}: ${message(bound.error)}; no platform metrics in this environment`,
    });
  }
  listener = bound?.listener;
  if (refused) {
    await listener?.close();
    listener = undefined;
    // The status goes out with the signal: the loading thread warns with it before its event
    // loop (and so the 'ready' message below) runs again.
    if (refused.err instanceof ExtensionsApiError) Atomics.store(shared, SLOT_REFUSED_STATUS, refused.err.status);
    signal(STATE_FAILED);
    post({ type: 'ready', registered: false, invoke: false, subscribed: false, error: message(refused.err) });
    return;
  }
  // Registered: from here on the event loop must run (an INVOKE registration without
  // /event/next polls would hold every invoke), whatever the main thread decided meanwhile.
  let subscribed = false;
  if (t && listener) {
    try {
      // The path is the listener's secret: only Lambda learns it, from this subscription.
      await api.subscribe(t.types, t.buffering, `http://${t.host}:${listener.port}${listener.path}`);
      subscribed = true;
    } catch (err) {
      post({ type: 'warn', once: 'telemetry-subscription', message: `Telemetry API subscription refused: ${message(err)}; no platform metrics in this environment` });
      await listener.close();
      listener = undefined;
    }
  }
  signal(STATE_REGISTERED, (config.invoke ? FLAG_INVOKE : 0) | (subscribed ? FLAG_TELEMETRY : 0), listener?.port ?? 0);
  post({ type: 'ready', registered: true, invoke: config.invoke, subscribed, ...(listener ? { telemetryPort: listener.port } : {}) });
  await eventLoop(api, config);
}

/**
 * Polls `/event/next` for ever. After an INVOKE it waits for the main thread's `done` before
 * polling again, never longer than the invoke's deadline minus a margin: an INVOKE is never left
 * without its `/event/next`.
 */
async function eventLoop(api: ExtensionsApi, config: WorkerConfig): Promise<void> {
  let failures = 0;
  for (;;) {
    let event;
    try {
      event = await api.next();
      failures = 0;
    } catch (err) {
      if (++failures > NEXT_RETRIES) {
        post({ type: 'warn', message: `extension event loop stopped: ${message(err)}` });
        return;
      }
      await new Promise((r) => setTimeout(r, 50 * 2 ** failures));
      continue;
    }
    if (event.eventType === 'INVOKE') {
      await gate.wait(event.requestId, event.deadlineMs - Date.now() - config.gateMarginMs);
    } else if (event.eventType === 'SHUTDOWN') {
      return;
    }
  }
}

port?.on('message', (msg: ToWorker) => {
  switch (msg.type) {
    case 'configure':
      if (configured) return;
      configured = true;
      boot(msg.config).catch((err: unknown) => {
        if (Atomics.load(shared, SLOT_STATE) === 0) signal(STATE_FAILED);
        post({ type: 'warn', message: `extension worker failed: ${message(err)}` });
      });
      return;
    case 'abandon':
      abandoned = true;
      gate.disable();
      return;
    case 'done':
      gate.done(msg.requestId);
      return;
    case 'stats':
      post({
        type: 'stats',
        stats: listener?.stats ?? emptyListenerStats(),
        gateTimeouts: gate.timeouts,
      });
      return;
  }
});
