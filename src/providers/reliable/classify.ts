// What a failed export result means: retry (408, 429, 5xx, network errors, timeouts), keep
// for later (Retry-After), or drop (other 4xx: the collector will never accept the batch).

export interface FailureKind {
  retryable: boolean;
  /** Server asked to wait (Retry-After), in ms. */
  retryAfterMs?: number;
  /** A connection that died unseen (typically while the process was frozen): retry at once. */
  staleSocket: boolean;
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNABORTED', 'UND_ERR_SOCKET']);
const STALE_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/** Marks a failure with what the transport knew (status class, Retry-After). */
export class ExportAttemptError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'ExportAttemptError';
  }
}

function codeOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  const cause = (e as { cause?: unknown } | null)?.cause;
  return cause !== undefined && cause !== e ? codeOf(cause) : undefined;
}

function statusOf(e: unknown): number | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'number' && code >= 100 && code < 600 ? code : undefined;
}

/** HTTP statuses worth another attempt. */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status < 600);
}

/** Classifies the error of a failed export; anything unknown is retryable (keep rather than lose). */
export function classifyFailure(error: unknown): FailureKind {
  if (error instanceof ExportAttemptError) {
    const stale = STALE_CODES.has(codeOf(error.cause) ?? '');
    return { retryable: error.retryable, staleSocket: stale, ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}) };
  }
  const code = codeOf(error);
  if (code !== undefined && NETWORK_CODES.has(code)) return { retryable: true, staleSocket: STALE_CODES.has(code) };
  const status = statusOf(error);
  if (status !== undefined) return { retryable: retryableStatus(status), staleSocket: false };
  return { retryable: true, staleSocket: false };
}
