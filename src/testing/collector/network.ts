// What production networks do to OTLP requests, reproduced on purpose: validated fault settings,
// the per-request fault draw, and connection tracking for idle timeouts (a NAT or load balancer
// that forgets a connection without telling either end) and for taking the receiver down.
import type { Socket } from 'node:net';
import type { ReceiverBehavior } from './types.js';

/** A fault drawn for one request (undefined: serve it normally). */
export type Fault = 'reset' | 'unavailable' | 'throttled' | undefined;

function rate(name: string, value: number | undefined): number {
  if (value === undefined) return 0;
  if (!(typeof value === 'number' && value >= 0 && value <= 1)) {
    throw new TypeError(`OtlpReceiver.setBehavior: ${name} must be between 0 and 1, got ${String(value)}`);
  }
  return value;
}

function nonNegative(name: string, value: number | undefined, integer = false): void {
  if (value === undefined) return;
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0 && (!integer || Number.isInteger(value)))) {
    throw new TypeError(`OtlpReceiver.setBehavior: ${name} must be a finite ${integer ? 'integer' : 'number'} >= 0, got ${String(value)}`);
  }
}

/** Checks a behaviour and returns a copy; throws TypeError on out-of-range values. */
export function validateBehavior(b: ReceiverBehavior): ReceiverBehavior {
  if (b === null || typeof b !== 'object') throw new TypeError('OtlpReceiver.setBehavior: behavior object required');
  nonNegative('delayMs', b.delayMs);
  nonNegative('retryAfterSeconds', b.retryAfterSeconds, true);
  nonNegative('forgetIdleConnectionsMs', b.forgetIdleConnectionsMs);
  const total = rate('failureRate', b.failureRate) + rate('throttleRate', b.throttleRate) + rate('resetRate', b.resetRate);
  if (total > 1 + 1e-9) throw new TypeError(`OtlpReceiver.setBehavior: failureRate + throttleRate + resetRate must be at most 1, got ${total}`);
  return { ...b };
}

/** One draw decides a request's fault, so each rate is exactly that share of requests. */
export function drawFault(b: ReceiverBehavior, random: number = Math.random()): Fault {
  if (b.resetConnections) return 'reset';
  let edge = b.resetRate ?? 0;
  if (random < edge) return 'reset';
  edge += b.failureRate ?? 0;
  if (random < edge) return 'unavailable';
  edge += b.throttleRate ?? 0;
  if (random < edge) return 'throttled';
  return undefined;
}

interface ConnectionState {
  /** Date.now() of the connection or of the end of its last answer. */
  idleSince: number;
  /** Requests on it not answered yet. */
  inFlight: number;
}

/** The receiver's open connections and how long each has been idle. */
export class Connections {
  private readonly states = new Map<Socket, ConnectionState>();

  /** Tracks a new connection until it closes. */
  add(socket: Socket): void {
    this.states.set(socket, { idleSince: Date.now(), inFlight: 0 });
    socket.once('close', () => this.states.delete(socket));
  }

  /**
   * A request arrived on `socket`. True when the connection had been idle longer than
   * `forgetAfterMs`: the middlebox forgot it, so the caller must reset it instead of serving.
   */
  begin(socket: Socket, forgetAfterMs: number | undefined): boolean {
    const state = this.states.get(socket);
    if (!state) return false;
    const forgotten = forgetAfterMs !== undefined && state.inFlight === 0 && Date.now() - state.idleSince > forgetAfterMs;
    state.inFlight++;
    return forgotten;
  }

  /** The request on `socket` was answered or dropped: the idle clock restarts. */
  end(socket: Socket): void {
    const state = this.states.get(socket);
    if (!state) return;
    state.inFlight = Math.max(0, state.inFlight - 1);
    state.idleSince = Date.now();
  }

  /** Destroys every open connection (FIN, or RST when `reset`). */
  destroyAll(reset = false): void {
    for (const socket of this.states.keys()) {
      if (reset) socket.resetAndDestroy();
      else socket.destroy();
    }
  }
}
