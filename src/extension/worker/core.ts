// The extension's protocol work — Extensions API client, INVOKE gate, Telemetry API listener —
// independent of the thread it runs on. Two hosts drive it with the same messages: the worker
// entry (main.ts, over a MessagePort, for module loading that cannot wait) and the main thread
// (src/extension/hosts.ts, where module loading awaits the registration). Imports node builtins
// and its own files only: in the worker its boot time is paid by every cold start.
import { dns, net } from './builtins.js';
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
} from './protocol.js';
import { BODY_SLACK_BYTES, emptyListenerStats, startTelemetryListener, type TelemetryListener } from './telemetry-listener.js';

/** Bounded retries of a failing `/event/next` before the loop gives up. */
const NEXT_RETRIES = 5;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

type Lookup = { address?: string; error?: unknown };

/**
 * One extension: registers when configured, then polls `/event/next` for ever. `shared` holds
 * the registration outcome (protocol.ts SLOT_*), `post` carries messages to the main side.
 */
export class ExtensionCore {
  private readonly gate = new InvokeGate();
  private abandoned = false;
  private configured = false;
  private listener: TelemetryListener | undefined;
  // Name lookups started ahead of the configuration (at most a handful of hosts per process).
  private readonly lookups = new Map<string, Promise<Lookup>>();

  /**
   * `prepare.host`: the Telemetry API listener host to look up now, while the main thread
   * still loads modules (outside Lambda `sandbox.localdomain` does not resolve, and finding
   * that out takes a DNS round trip).
   */
  constructor(
    private readonly shared: Int32Array,
    private readonly post: (message: FromWorker) => void,
    prepare?: { host: string },
    /** On the main thread: requests never keep the process alive. */
    private readonly mainThread = false,
  ) {
    if (prepare) void this.resolveHost(prepare.host);
  }

  private readonly aborts = new AbortController();

  private api(runtimeApi: string, identifier?: string): ExtensionsApi {
    return new ExtensionsApi(runtimeApi, identifier, { signal: this.aborts.signal, unref: this.mainThread });
  }

  /** Handles one message from the main side. */
  receive(msg: ToWorker): void {
    switch (msg.type) {
      case 'configure':
        if (this.configured) return;
        this.configured = true;
        if (msg.config.hold !== false) this.gate.holding = true;
        this.boot(msg.config).catch((err: unknown) => {
          if (Atomics.load(this.shared, SLOT_STATE) === 0) this.signal(STATE_FAILED);
          this.post({ type: 'warn', message: `extension worker failed: ${message(err)}` });
        });
        return;
      case 'hold':
        this.gate.holding = true;
        return;
      case 'abandon':
        this.abandoned = true;
        this.gate.disable();
        return;
      case 'done':
        this.gate.done(msg.requestId);
        return;
      case 'stats':
        this.post({ type: 'stats', stats: this.listener?.stats ?? emptyListenerStats(), gateTimeouts: this.gate.timeouts });
        return;
    }
  }

  /**
   * Takes over an extension another host registered (its worker died): polls `/event/next`
   * with its identifier and never holds an invoke, so Lambda's invokes still end.
   */
  adopt(runtimeApi: string, identifier: string): Promise<void> {
    this.configured = true;
    this.abandoned = true;
    this.gate.disable();
    const api = this.api(runtimeApi, identifier);
    return this.eventLoop(api, 0);
  }

  /** Closes the listener (tests; in Lambda the process is frozen or killed instead). */
  async close(): Promise<void> {
    this.gate.disable();
    this.aborts.abort();
    await this.listener?.close();
    this.listener = undefined;
  }

  private signal(state: number, flags = 0, telemetryPort = 0): void {
    Atomics.store(this.shared, SLOT_TELEMETRY_PORT, telemetryPort);
    Atomics.store(this.shared, SLOT_FLAGS, flags);
    Atomics.store(this.shared, SLOT_STATE, state);
    Atomics.notify(this.shared, SLOT_STATE);
  }

  /** Resolves `host` once (an IP address as is); never rejects. */
  private resolveHost(host: string): Promise<Lookup> {
    if (net().isIP(host) !== 0) return Promise.resolve({ address: host });
    let p = this.lookups.get(host);
    if (!p) {
      p = new Promise((resolve) => {
        dns().lookup(host, (error, address) => resolve(error ? { error } : { address }));
      });
      this.lookups.set(host, p);
    }
    return p;
  }

  /**
   * Binds the Telemetry API listener on the address `host` resolves to (what `listen(port, host)`
   * would do), or on loopback when the sandbox name does not resolve (outside Lambda: the test
   * kit delivers to 127.0.0.1). Never rejects.
   */
  private async bindListener(t: NonNullable<WorkerConfig['telemetry']>): Promise<{ listener?: TelemetryListener; error?: unknown }> {
    const resolved = await this.resolveHost(t.host);
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
        onEvents: (events) => this.post({ type: 'telemetry', events }),
      });
      return { listener };
    } catch (error) {
      return { error };
    }
  }

  private async boot(config: WorkerConfig): Promise<void> {
    const t = config.telemetry;
    if (this.abandoned) {
      this.signal(STATE_FAILED);
      return;
    }
    const api = this.api(config.runtimeApi);
    // The registration request goes out first; the listener is bound while it is answered.
    const registering = api.register(config.name, config.invoke ? ['INVOKE'] : []).then(
      () => undefined,
      (err: unknown) => ({ err }),
    );
    const [refused, bound] = await Promise.all([registering, t ? this.bindListener(t) : undefined]);
    if (t && bound && !bound.listener) {
      this.post({
        type: 'warn',
        once: 'telemetry-listener',
        message: `Telemetry API listener could not listen on ${t.host}:${t.port}: ${message(bound.error)}; no platform metrics in this environment`,
      });
    }
    this.listener = bound?.listener;
    if (refused) {
      await this.listener?.close();
      this.listener = undefined;
      // The status goes out with the signal: the loading thread warns with it before its event
      // loop (and so the 'ready' message below) runs again.
      if (refused.err instanceof ExtensionsApiError) Atomics.store(this.shared, SLOT_REFUSED_STATUS, refused.err.status);
      this.signal(STATE_FAILED);
      this.post({ type: 'ready', registered: false, invoke: false, subscribed: false, error: message(refused.err) });
      return;
    }
    // Registered: from here on the event loop must run (an INVOKE registration without
    // /event/next polls would hold every invoke), whatever the main thread decided meanwhile.
    let subscribed = false;
    const listener = this.listener;
    if (t && listener) {
      try {
        // The path is the listener's secret: only Lambda learns it, from this subscription.
        await api.subscribe(t.types, t.buffering, `http://${t.host}:${listener.port}${listener.path}`);
        subscribed = true;
      } catch (err) {
        this.post({ type: 'warn', once: 'telemetry-subscription', message: `Telemetry API subscription refused: ${message(err)}; no platform metrics in this environment` });
        await listener.close();
        this.listener = undefined;
      }
    }
    const port = this.listener?.port ?? 0;
    this.signal(STATE_REGISTERED, (config.invoke ? FLAG_INVOKE : 0) | (subscribed ? FLAG_TELEMETRY : 0), port);
    this.post({ type: 'ready', registered: true, invoke: config.invoke, subscribed, identifier: api.identifier, ...(port ? { telemetryPort: port } : {}) });
    await this.eventLoop(api, config.gateMarginMs);
  }

  /**
   * Polls `/event/next` for ever. After an INVOKE it waits for the main thread's `done` before
   * polling again, never longer than the invoke's deadline minus a margin: an INVOKE is never left
   * without its `/event/next`.
   */
  private async eventLoop(api: ExtensionsApi, gateMarginMs: number): Promise<void> {
    let failures = 0;
    for (;;) {
      let event;
      try {
        event = await api.next();
        failures = 0;
      } catch (err) {
        if (this.aborts.signal.aborted) return;
        if (++failures > NEXT_RETRIES) {
          this.post({ type: 'warn', message: `extension event loop stopped: ${message(err)}` });
          return;
        }
        await new Promise((r) => setTimeout(r, 50 * 2 ** failures));
        continue;
      }
      if (event.eventType === 'INVOKE') {
        await this.gate.wait(event.requestId, event.deadlineMs - Date.now() - gateMarginMs);
      } else if (event.eventType === 'SHUTDOWN') {
        return;
      }
    }
  }
}
