// Minimal JSON-over-HTTP client for the local Runtime API (node:http only: the worker must boot fast).
import type { Agent } from 'node:http';
import { http } from './builtins.js';

/** A reply: status, headers, body text. */
export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Largest reply body we read from the Runtime API (events are tiny). */
const MAX_REPLY_BYTES = 1024 * 1024;

// One agent per purpose: the long poll must never wait behind (or block) a short request.
let agents: { short: Agent; poll: Agent } | undefined;
function agentFor(longPoll: boolean): Agent {
  const { Agent: HttpAgent } = http();
  agents ??= { short: new HttpAgent({ keepAlive: true, maxSockets: 2 }), poll: new HttpAgent({ keepAlive: true, maxSockets: 1 }) };
  return longPoll ? agents.poll : agents.short;
}

/** How a host runs its requests: `signal` aborts them, `unref` keeps the long poll from holding the event loop open. */
export interface RequestControl {
  signal?: AbortSignal;
  unref?: boolean;
}

/**
 * Sends one request. `timeoutMs` 0 means no timeout (the `/event/next` long poll must never
 * time out: Lambda answers it only when there is an event).
 */
export function httpJson(
  method: string,
  url: string,
  headers: Record<string, string>,
  body: unknown,
  timeoutMs: number,
  longPoll = false,
  control?: RequestControl,
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http().request(
      url,
      {
        method,
        agent: agentFor(longPoll),
        ...(control?.signal ? { signal: control.signal } : {}),
        headers: payload ? { ...headers, 'content-type': 'application/json', 'content-length': String(payload.length) } : headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_REPLY_BYTES) {
            res.destroy(new Error(`reply larger than ${MAX_REPLY_BYTES} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    if (timeoutMs > 0) req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    // On the main thread the long poll must never be what keeps the process alive (the short
    // requests must: module loading may be awaiting them with nothing else pending).
    if (control?.unref && longPoll) req.on('socket', (socket) => socket.unref());
    req.end(payload);
  });
}

/** Parses JSON, or returns undefined. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
