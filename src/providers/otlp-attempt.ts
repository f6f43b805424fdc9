// The one place that reads the OTLP exporters' internals (@opentelemetry/otlp-exporter-base
// 0.2xx: exporter._delegate._transport is a RetryingTransport around the HTTP transport).
// The reliable exporter does the retrying within the flush budget, so the SDK's retry loop
// (first wait ~1 s, Retry-After slept through) is replaced by single attempts that:
// - take the time the reliable exporter gives them (the rest of the flush budget);
// - retry at once when a kept-alive connection died unseen (ECONNRESET / EPIPE on reuse after
//   a freeze): the failed socket has left the agent's pool, so the next try opens a fresh one;
// - report a retryable failure as an ExportAttemptError carrying Retry-After.
// An unknown shape leaves the exporter as it is (its own retries), with a diag warning.
import { warn } from '../diag.js';
import { ExportAttemptError } from './reliable/classify.js';

interface ExportResponse {
  status: 'success' | 'failure' | 'retryable';
  error?: Error;
  retryInMillis?: number;
  data?: Uint8Array;
}

interface Transport {
  send(data: Uint8Array, timeoutMillis: number): Promise<ExportResponse>;
  shutdown(): void;
}

const STALE = new Set(['ECONNRESET', 'EPIPE']);
const STALE_TRIES = 3;

function isTransport(t: unknown): t is Transport {
  return typeof (t as Transport | null)?.send === 'function' && typeof (t as Transport).shutdown === 'function';
}

function stale(response: ExportResponse): boolean {
  const code = (response.error as { code?: unknown } | undefined)?.code;
  return response.status === 'retryable' && typeof code === 'string' && STALE.has(code);
}

/**
 * Replaces the exporter's retrying transport with single attempts bounded by `timeoutMs()`.
 * Returns false (exporter unchanged) when the internals are not the expected ones.
 */
export function useSingleAttempts(exporter: object, timeoutMs: () => number): boolean {
  const delegate = (exporter as { _delegate?: { _transport?: unknown } })._delegate;
  const retrying = delegate?._transport as { _transport?: unknown } | undefined;
  const raw = retrying?._transport;
  if (!delegate || !isTransport(retrying) || !isTransport(raw)) {
    warn('OTLP exporter internals not recognised; its own retries stay in place');
    return false;
  }
  seedNodeHttp(raw);
  const single: Transport = {
    async send(data) {
      const started = performance.now();
      const limit = Math.max(1, Math.floor(timeoutMs()));
      let response = await raw.send(data, limit);
      for (let i = 1; i < STALE_TRIES && stale(response); i++) {
        const left = limit - (performance.now() - started);
        if (left < 5) break;
        response = await raw.send(data, Math.floor(left));
      }
      if (response.status !== 'retryable') return response;
      const after = response.retryInMillis !== undefined && response.retryInMillis > 0 ? response.retryInMillis : undefined;
      const message = response.error?.message ?? `collector answered with a retryable status${after !== undefined ? ` (Retry-After ${after} ms)` : ''}`;
      return { status: 'failure', error: new ExportAttemptError(message, true, after, response.error) };
    },
    shutdown: () => raw.shutdown(),
  };
  delegate._transport = single;
  return true;
}

/**
 * Hands the SDK's HTTP transport Node's http / https module (and the keep-alive agent its
 * default factory would make) before its first send. Left alone, it loads them with
 * `import('http')`, which makes Node build node:http's ES module facade; reading every export
 * for that facade loads undici (fetch), tens of ms of CPU on the first export of every cold start.
 */
function seedNodeHttp(raw: object): void {
  const t = raw as { _utils?: unknown; _parameters?: { url?: unknown } };
  if (t._utils !== null || typeof t._parameters?.url !== 'string') return;
  let protocol: string;
  try {
    protocol = new URL(t._parameters.url).protocol;
  } catch {
    return;
  }
  if (protocol !== 'http:' && protocol !== 'https:') return;
  const mod = process.getBuiltinModule?.(protocol === 'http:' ? 'node:http' : 'node:https') as typeof import('node:http') | undefined;
  if (mod) t._utils = { agent: new mod.Agent({ keepAlive: true }), request: mod.request };
}
