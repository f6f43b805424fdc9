// Runtime API (/2018-06-01/runtime): the runtime's long poll, responses (buffered or streamed),
// invocation errors and init errors, with Lambda's 4xx replies for misuse.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Environment, InvokeState } from './environment.js';
import { round } from './environment.js';
import { header, readBody, sendError, sendJson, tryJson } from './http.js';
import type { InvokeError } from './types.js';

/** Lambda's limit for a buffered response payload (6 MB). */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
/** Lambda's limit for a streamed response (20 MB). */
export const MAX_STREAMED_RESPONSE_BYTES = 20 * 1024 * 1024;
const MAX_ERROR_BYTES = 1024 * 1024;

/** Routes one Runtime API request; false when the path is not a Runtime API path. */
export async function handleRuntimeApi(env: Environment, method: string, path: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (path === '/2018-06-01/runtime/invocation/next') {
    if (method !== 'GET') return methodNotAllowed(res);
    onNext(env, res);
    return true;
  }
  if (path === '/2018-06-01/runtime/init/error') {
    if (method !== 'POST') return methodNotAllowed(res);
    await onInitError(env, req, res);
    return true;
  }
  const m = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(path);
  if (!m) return false;
  if (method !== 'POST') return methodNotAllowed(res);
  const id = decodeURIComponent(m[1]!);
  if (m[2] === 'response') await onResponse(env, id, req, res);
  else await onError(env, id, req, res);
  return true;
}

function methodNotAllowed(res: ServerResponse): true {
  sendError(res, 405, 'MethodNotAllowed', 'method not allowed on this path');
  return true;
}

function onNext(env: Environment, res: ServerResponse): void {
  const now = performance.now();
  if (!env.registrationClosed) {
    // The runtime's first /next: extension registration closes, the runtime's init is done.
    env.registrationClosed = true;
    env.runtimeFirstNextAt = now;
    env.init.initDurationMs = round(now - env.spawnedAt);
    env.telemetry.emit('platform.initRuntimeDone', { initializationType: env.opts.initializationType, phase: 'init', status: 'success' });
  }
  const inv = env.current;
  // Managed Instances: each worker thread keeps a /next pending while its invokes run.
  if (inv && inv.endedAt === undefined && !inv.timedOut && env.opts.managedInstances === undefined) {
    if (!inv.outcome) {
      sendError(res, 403, 'InvalidStateTransition', `/next called before invocation ${inv.requestId} was answered`);
      return;
    }
    if (inv.outcome && inv.runtimeDoneAt === undefined) markRuntimeDone(env, inv, now);
  }
  env.runtimePollers.push(res);
  res.on('close', () => {
    const i = env.runtimePollers.indexOf(res);
    if (i >= 0) env.runtimePollers.splice(i, 1);
  });
  env.checkInit();
  env.checkInvokeEnd();
  env.changed();
}

function markRuntimeDone(env: Environment, inv: InvokeState, at: number): void {
  inv.runtimeDoneAt = at;
  const o = inv.outcome;
  if (o?.kind === 'error') env.emitRuntimeDone(inv, 'error', o.error.errorType);
  else env.emitRuntimeDone(inv, 'success');
}

/** Finds the invoke a response/error is for, or replies with Lambda's 4xx. */
async function currentFor(env: Environment, id: string, req: IncomingMessage, res: ServerResponse): Promise<InvokeState | undefined> {
  const inv = env.inflight.get(id);
  if (inv && !inv.outcome && !inv.timedOut) return inv;
  await readBody(req, 0).catch(() => undefined);
  if (inv || env.answered.has(id)) {
    sendError(res, 403, 'InvalidStateTransition', `invocation ${id} was already answered`);
  } else {
    sendError(res, 400, 'InvalidRequestID', `unknown request id ${id}`);
  }
  return undefined;
}

function setOutcome(env: Environment, inv: InvokeState, outcome: InvokeState['outcome']): void {
  inv.outcome = outcome;
  inv.responseEndAt = performance.now();
  env.rememberAnswered(inv.requestId);
  // Managed Instances: the worker threads poll /next independently of their invokes, so the
  // runtime is done with an invoke once it answered it.
  if (env.opts.managedInstances !== undefined) markRuntimeDone(env, inv, inv.responseEndAt);
  env.checkInvokeEnd();
  env.changed();
}

async function onResponse(env: Environment, id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const inv = await currentFor(env, id, req, res);
  if (!inv) return;
  const streaming = header(req, 'Lambda-Runtime-Function-Response-Mode')?.toLowerCase() === 'streaming';
  const limit = streaming ? MAX_STREAMED_RESPONSE_BYTES : MAX_RESPONSE_BYTES;
  inv.responseStartAt = performance.now();
  const read = await readBody(req, limit).catch(() => undefined);
  if (!read) return; // connection lost mid-body: the invoke stays unanswered
  if (!env.inflight.has(id) || inv.outcome || inv.timedOut) {
    sendError(res, 403, 'InvalidStateTransition', `invocation ${id} was already answered`);
    return;
  }
  inv.producedBytes = read.size;
  if (read.tooLarge) {
    const error: InvokeError = {
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: `Response payload size (${read.size} bytes) exceeded maximum allowed payload size (${limit} bytes).`,
    };
    setOutcome(env, inv, { kind: 'error', error });
    sendError(res, 413, error.errorType, error.errorMessage);
    return;
  }
  const trailerType = read.trailers['lambda-runtime-function-error-type'];
  if (streaming && trailerType) {
    setOutcome(env, inv, { kind: 'error', error: streamedError(trailerType, read.trailers['lambda-runtime-function-error-body']) });
  } else {
    const contentType = header(req, 'Content-Type');
    setOutcome(env, inv, { kind: 'response', body: read.body.toString('utf8'), bytes: read.body, streamed: streaming, ...(contentType ? { contentType } : {}) });
  }
  sendJson(res, 202, { status: 'OK' });
}

function streamedError(errorType: string, bodyB64: string | undefined): InvokeError {
  const parsed = bodyB64 ? tryJson(Buffer.from(bodyB64, 'base64').toString('utf8')) : { ok: false as const };
  return toInvokeError(parsed.ok ? parsed.value : undefined, errorType) ?? { errorType, errorMessage: '' };
}

/** Reads Lambda's error shape; undefined when the body is not an object. */
function toInvokeError(body: unknown, headerType: string | undefined): InvokeError | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  const trace = Array.isArray(b.trace) ? b.trace : Array.isArray(b.stackTrace) ? b.stackTrace : undefined;
  return {
    errorType: typeof b.errorType === 'string' ? b.errorType : (headerType ?? 'Unhandled'),
    errorMessage: typeof b.errorMessage === 'string' ? b.errorMessage : '',
    ...(trace ? { trace: trace.map(String) } : {}),
  };
}

async function readError(req: IncomingMessage, res: ServerResponse): Promise<InvokeError | undefined> {
  const read = await readBody(req, MAX_ERROR_BYTES).catch(() => undefined);
  if (!read) return undefined;
  if (read.tooLarge) {
    sendError(res, 413, 'RequestEntityTooLarge', `error body larger than ${MAX_ERROR_BYTES} bytes`);
    return undefined;
  }
  const parsed = tryJson(read.body.toString('utf8'));
  const error = parsed.ok ? toInvokeError(parsed.value, header(req, 'Lambda-Runtime-Function-Error-Type')) : undefined;
  if (!error) sendError(res, 400, 'InvalidRequestFormat', 'error body must be a JSON object {errorType, errorMessage}');
  return error;
}

async function onError(env: Environment, id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const inv = await currentFor(env, id, req, res);
  if (!inv) return;
  inv.responseStartAt = performance.now();
  const error = await readError(req, res);
  if (!error) return;
  if (!env.inflight.has(id) || inv.outcome || inv.timedOut) {
    sendError(res, 403, 'InvalidStateTransition', `invocation ${id} was already answered`);
    return;
  }
  setOutcome(env, inv, { kind: 'error', error });
  sendJson(res, 202, { status: 'OK' });
}

async function onInitError(env: Environment, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (env.initDoneAt !== undefined || env.registrationClosed) {
    await readBody(req, 0).catch(() => undefined);
    sendError(res, 403, 'InvalidStateTransition', 'init/error is only accepted during init');
    return;
  }
  const error = await readError(req, res);
  if (!error) return;
  env.initError = error;
  env.telemetry.emit('platform.initRuntimeDone', { initializationType: env.opts.initializationType, phase: 'init', status: 'error', errorType: error.errorType });
  env.telemetry.emit('platform.initReport', {
    initializationType: env.opts.initializationType,
    phase: 'init',
    status: 'error',
    errorType: error.errorType,
    metrics: { durationMs: round(performance.now() - env.spawnedAt) },
  });
  sendJson(res, 202, { status: 'OK' });
  env.changed();
}
