// otelFlush(): the middy front door over the same core as withFlush().
//
// Middy gives a middleware no hook around the handler and skips `after` middlewares when
// another middleware returns early, so:
// - `before` is synchronous (when no setup is pending) and makes the span active for the
//   rest of the request through the context manager's AsyncLocalStorage (the OpenTelemetry
//   API cannot scope a context across middy's own awaits);
// - `request.response` becomes an accessor: when middy assigns an early response (v6/v7:
//   `request.earlyResponse` is present; v5: a response exists once the `before` stack is
//   done), the accessor returns a promise that settles after the span ended and the flush
//   ran, so middy's returned promise (and the runtime) waits for it.
import { context, type Context as OtelContext } from '@opentelemetry/api';
import type { Context as LambdaContext } from 'aws-lambda';
import { createCore } from '../compose.js';
import type { Invocation } from '../invocation/lifecycle.js';
import { assignedByMiddy5BeforeStack, hasEarlyResponseMarker } from '../internals/middy.js';
import { contextStorage } from '../internals/otel-api.js';
import type { OtelLambdaOptions } from '../config/options.js';
import { checkProvidersAtFirstInvoke, warnMiddyOrder } from './misuse.js';

/** The part of a middy request this middleware uses (middy 5, 6 and 7). */
export interface MiddyRequestLike {
  event: unknown;
  context: LambdaContext;
  response?: unknown;
  error?: unknown;
}

/** A middy middleware object. */
export interface OtelFlushMiddleware {
  before: (request: MiddyRequestLike) => void | Promise<void>;
  after: (request: MiddyRequestLike) => Promise<void>;
  onError: (request: MiddyRequestLike) => Promise<void>;
}

interface Tracked {
  inv: Invocation;
  /** The first error middy put on the request: what the handler (or a middleware) threw, before any onError rewrote it. */
  thrown?: { error: unknown };
  /** Set once the response accessor turned an early exit into a flush-then-respond promise. */
  final?: Promise<unknown>;
}

/**
 * Middy middleware: one span per invoke, flushed on success, on error, when another
 * middleware returns early, and on middy's `timeoutEarlyResponse`. Register it FIRST
 * (`middy(handler).use(otelFlush()).use(...)`): its `before` then runs first (the span covers
 * the other middlewares) and its `after` / `onError` run last (the flush sees everything).
 *
 * @example
 * ```ts
 * import middy from '@middy/core';
 * import httpErrorHandler from '@middy/http-error-handler';
 * import { otelFlush, setupTelemetry } from 'otel-lambda-flush';
 *
 * setupTelemetry();
 *
 * export const handler = middy()
 *   .use(otelFlush()) // first
 *   .use(httpErrorHandler())
 *   .handler(async (event: { id: string }) => ({ statusCode: 200, body: event.id }));
 * ```
 *
 * @param options See {@link OtelLambdaOptions}. A wrong option type throws a `TypeError` here.
 */
export function otelFlush(options?: OtelLambdaOptions): OtelFlushMiddleware {
  const core = createCore(options);
  const tracked = new WeakMap<object, Tracked>();

  const start = (request: MiddyRequestLike, inv: Invocation): void => {
    const t: Tracked = { inv };
    tracked.set(request, t);
    if (inv.passthrough) return;
    enterContext(inv.context);
    keepFirstError(request, t);
    let value = request.response;
    let inBefore = true; // until the first assignment of request.response
    const finishWith = (v: unknown): Promise<unknown> => {
      const err = request.error;
      if (err !== undefined && v === undefined) {
        // middy rethrows request.error when an onError middleware ends the chain without a response
        return inv.finish({ error: recorded(t, err), failed: true }).then(() => Promise.reject(err));
      }
      return inv.finish({ result: v, ...(err !== undefined ? { handledError: recorded(t, err) } : {}) }).then(() => v);
    };
    Object.defineProperty(request, 'response', {
      configurable: true,
      enumerable: true,
      get() {
        return t.final ?? value;
      },
      set(v: unknown) {
        value = v;
        if (t.final) return;
        // middy 6/7 mark every early exit with request.earlyResponse.
        if (hasEarlyResponseMarker(request)) t.final = finishWith(v);
        // middy 5 has no marker: its early return is the one assignment made by runMiddlewares
        // while the before stack runs (only the first assignment can be it).
        else if (inBefore && v !== undefined && assignedByMiddy5BeforeStack()) t.final = finishWith(v);
        inBefore = false;
      },
    });
  };

  const before = (request: MiddyRequestLike): void | Promise<void> => {
    checkProvidersAtFirstInvoke(core.config.options);
    const started = core.begin(request.event, request.context);
    if (started instanceof Promise) return started.then((inv) => start(request, inv));
    start(request, started);
  };

  const after = async (request: MiddyRequestLike): Promise<void> => {
    const t = tracked.get(request);
    if (!t || t.final) return;
    await t.inv.finish({ result: readValue(request) });
  };

  const onError = async (request: MiddyRequestLike): Promise<void> => {
    let t = tracked.get(request);
    if (!t) {
      // Our before never ran: a middleware registered before otelFlush() failed first. Say
      // so, and still record the failed invoke (a span covering only the error handling).
      warnMiddyOrder();
      const started = await core.begin(request.event, request.context);
      t = { inv: started, thrown: { error: request.error } };
      tracked.set(request, t);
      if (started.passthrough) return;
    }
    if (t.final) return;
    const response = readValue(request);
    if (response !== undefined) await t.inv.finish({ result: response, handledError: recorded(t, request.error) });
    else await t.inv.finish({ error: recorded(t, request.error), failed: true });
  };

  Object.defineProperty(before, 'name', { value: 'otelFlushBefore' });
  Object.defineProperty(after, 'name', { value: 'otelFlushAfter' });
  Object.defineProperty(onError, 'name', { value: 'otelFlushOnError' });
  return { before, after, onError };
}

/**
 * Keeps the first error middy assigns to `request.error`: error handlers such as
 * `@middy/http-error-handler` replace it with a plain `{ statusCode: 500 }` object, and the
 * span should show what was really thrown (type, message, stack).
 */
function keepFirstError(request: MiddyRequestLike, t: Tracked): void {
  let current = request.error;
  if (current !== undefined) t.thrown = { error: current };
  try {
    Object.defineProperty(request, 'error', {
      configurable: true,
      enumerable: true,
      get: () => current,
      set(v: unknown) {
        current = v;
        if (t.thrown === undefined && v !== undefined) t.thrown = { error: v };
      },
    });
  } catch {
    // a frozen request: record whatever is on it at the end
  }
}

/** The error to record: the one first thrown, else what the request carries now. */
function recorded(t: Tracked, fallback: unknown): unknown {
  return t.thrown !== undefined ? t.thrown.error : fallback;
}

/** request.response as the handler / middlewares left it (never our flush promise). */
function readValue(request: MiddyRequestLike): unknown {
  const v = request.response;
  return v instanceof Promise ? undefined : v;
}

/**
 * Makes `ctx` the active context for the rest of the current async flow, through the
 * AsyncLocalStorage of the registered context manager. No-op with other context managers.
 */
function enterContext(ctx: OtelContext): void {
  try {
    contextStorage(context)?.enterWith(ctx);
  } catch {
    // without activation the span still exists; user spans just are not its children
  }
}
