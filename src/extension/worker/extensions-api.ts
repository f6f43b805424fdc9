// Client of the Lambda Extensions API and the Telemetry API subscription.
import { httpJson, parseJson, type RequestControl } from './http.js';
import type { TelemetryBuffering } from './protocol.js';

/** An event from `GET /event/next`. */
export type ExtensionEvent =
  | { eventType: 'INVOKE'; requestId: string; deadlineMs: number }
  | { eventType: 'SHUTDOWN'; deadlineMs: number; shutdownReason?: string }
  | { eventType: 'UNKNOWN'; raw: unknown };

/** Thrown for a non-2xx reply, with Lambda's `errorType` when it gave one. */
export class ExtensionsApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errorType?: string,
  ) {
    super(message);
    this.name = 'ExtensionsApiError';
  }
}

/** Short requests (register, subscribe) must not stall init: Lambda answers them in ms. */
const SHORT_TIMEOUT_MS = 2000;

function apiError(what: string, status: number, body: string): ExtensionsApiError {
  const parsed = parseJson(body) as { errorType?: unknown; errorMessage?: unknown } | undefined;
  const errorType = typeof parsed?.errorType === 'string' ? parsed.errorType : undefined;
  const detail = typeof parsed?.errorMessage === 'string' ? `: ${parsed.errorMessage}` : '';
  return new ExtensionsApiError(`${what} failed with HTTP ${status}${errorType ? ` ${errorType}` : ''}${detail}`, status, errorType);
}

/** The Extensions API of one registered (or registering) extension. */
export class ExtensionsApi {
  /**
   * `identifier`: the identifier of an extension registered elsewhere (taken over). `control`:
   * how this host runs its requests (see {@link RequestControl}).
   */
  constructor(
    private readonly runtimeApi: string,
    private id?: string,
    private readonly control: RequestControl = {},
  ) {}

  /** Identifier Lambda gave at registration. */
  get identifier(): string | undefined {
    return this.id;
  }

  /** `POST /register`. Throws {@link ExtensionsApiError} when refused. */
  async register(name: string, events: string[]): Promise<void> {
    const reply = await httpJson(
      'POST',
      `http://${this.runtimeApi}/2020-01-01/extension/register`,
      { 'lambda-extension-name': name },
      { events },
      SHORT_TIMEOUT_MS,
      false,
      this.control,
    );
    if (reply.status !== 200) throw apiError('extension registration', reply.status, reply.body);
    const id = reply.headers['lambda-extension-identifier'];
    if (typeof id !== 'string' || id === '') throw new ExtensionsApiError('registration reply carries no Lambda-Extension-Identifier', reply.status);
    this.id = id;
  }

  /** `GET /event/next`: a long poll with no timeout. */
  async next(): Promise<ExtensionEvent> {
    const reply = await httpJson('GET', `http://${this.runtimeApi}/2020-01-01/extension/event/next`, this.headers(), undefined, 0, true, this.control);
    if (reply.status !== 200) throw apiError('event/next', reply.status, reply.body);
    return toEvent(parseJson(reply.body));
  }

  /** `PUT /telemetry` (only possible during init). */
  async subscribe(types: string[], buffering: TelemetryBuffering, uri: string): Promise<void> {
    const reply = await httpJson(
      'PUT',
      `http://${this.runtimeApi}/2022-07-01/telemetry`,
      this.headers(),
      {
        schemaVersion: '2022-12-13',
        types,
        buffering: { maxItems: buffering.maxItems, maxBytes: buffering.maxBytes, timeoutMs: buffering.timeoutMs },
        destination: { protocol: 'HTTP', URI: uri },
      },
      SHORT_TIMEOUT_MS,
      false,
      this.control,
    );
    if (reply.status !== 200) throw apiError('telemetry subscription', reply.status, reply.body);
  }

  private headers(): Record<string, string> {
    if (!this.id) throw new Error('extension is not registered');
    return { 'lambda-extension-identifier': this.id };
  }
}

/** Narrows an `/event/next` body; anything unexpected becomes `UNKNOWN` (never throws). */
export function toEvent(body: unknown): ExtensionEvent {
  if (typeof body === 'object' && body !== null) {
    const b = body as Record<string, unknown>;
    const deadlineMs = typeof b.deadlineMs === 'number' && Number.isFinite(b.deadlineMs) ? b.deadlineMs : undefined;
    if (b.eventType === 'INVOKE' && typeof b.requestId === 'string' && deadlineMs !== undefined) {
      return { eventType: 'INVOKE', requestId: b.requestId, deadlineMs };
    }
    if (b.eventType === 'SHUTDOWN') {
      return {
        eventType: 'SHUTDOWN',
        deadlineMs: deadlineMs ?? Date.now(),
        ...(typeof b.shutdownReason === 'string' ? { shutdownReason: b.shutdownReason } : {}),
      };
    }
  }
  return { eventType: 'UNKNOWN', raw: body };
}
