// Entry of the extension worker thread. Bundled into one script (scripts/worker-source.mjs) and
// started with `new Worker(source, { eval: true })`. Imports node builtins and its own files only:
// its boot time is paid by every cold start.
import { writeSync as __ws } from 'node:fs';
const __T = (l: string): void => { if (process.env.OLF_COLD_TRACE) __ws(2, `TRACE ${(performance.timeOrigin + performance.now()).toFixed(1)} ${l}\n`); };
import { parentPort, workerData } from 'node:worker_threads';
import { ExtensionsApi } from './extensions-api.js';
import { InvokeGate } from './gate.js';
import {
  FLAG_INVOKE,
  FLAG_TELEMETRY,
  SLOT_FLAGS,
  SLOT_STATE,
  SLOT_TELEMETRY_PORT,
  STATE_FAILED,
  STATE_REGISTERED,
  type FromWorker,
  type ToWorker,
  type WorkerConfig,
} from './protocol.js';
import { BODY_SLACK_BYTES, startTelemetryListener, type TelemetryListener } from './telemetry-listener.js';

__T('worker first line');
const port = parentPort;
const shared = new Int32Array((workerData as { shared: SharedArrayBuffer }).shared);
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

async function boot(config: WorkerConfig): Promise<void> {
  const api = new ExtensionsApi(config.runtimeApi);
  const t = config.telemetry;
  __T('worker boot()');
  if (t) {
    const listen = (host: string): Promise<TelemetryListener> =>
      startTelemetryListener({
        host,
        port: t.port,
        maxBodyBytes: 2 * t.buffering.maxBytes + BODY_SLACK_BYTES,
        bodyTimeoutMs: t.bodyTimeoutMs,
        onEvents: (events) => post({ type: 'telemetry', events }),
      });
    try {
      listener = await listen(t.host);
    } catch (err) {
      __T('listen failed ' + String((err as {code?: unknown}).code));
      // Outside Lambda the sandbox name does not resolve; the test kit delivers it to loopback.
      const code = (err as { code?: unknown }).code;
      if (t.host === 'sandbox.localdomain' && (code === 'ENOTFOUND' || code === 'EAI_AGAIN')) {
        listener = await listen('127.0.0.1').catch(() => undefined);
      }
      if (!listener) post({ type: 'warn', message: `Telemetry API listener could not listen on ${t.host}:${t.port}: ${message(err)}` });
    }
  }
  __T('listener ready');
  if (abandoned) {
    await listener?.close();
    signal(STATE_FAILED);
    return;
  }
  try {
    __T('register sent');
    await api.register(config.name, config.invoke ? ['INVOKE'] : []);
  } catch (err) {
    await listener?.close();
    listener = undefined;
    signal(STATE_FAILED);
    post({ type: 'ready', registered: false, invoke: false, subscribed: false, error: message(err) });
    return;
  }
  __T('register 200');
  let subscribed = false;
  if (t && listener) {
    try {
      await api.subscribe(t.types, t.buffering, `http://${t.host}:${listener.port}/`);
      subscribed = true;
    } catch (err) {
      post({ type: 'warn', message: `Telemetry API subscription refused: ${message(err)}` });
      await listener.close();
      listener = undefined;
    }
  }
  __T('subscribed; signalling');
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
      __T('event/next sent');
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
      __T('configure received');
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
        stats: listener?.stats ?? { batches: 0, events: 0, unknown: 0, invalid: 0, unused: 0, rejected: {} },
        gateTimeouts: gate.timeouts,
      });
      return;
  }
});
