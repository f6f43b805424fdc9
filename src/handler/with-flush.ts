// withFlush(handler): the higher-order front door. Picks the wrapper shape the runtime
// expects (its `length` and streaming markers are what the runtime inspects) and delegates
// every invoke to the shared core.
import { context } from '@opentelemetry/api';
import type { Context as LambdaContext } from 'aws-lambda';
import { createCore } from '../compose.js';
import type { Invocation, InvocationCore } from '../invocation/lifecycle.js';
import type { OtelLambdaOptions } from '../config/options.js';
import { checkProvidersAtFirstInvoke, isResponseStreamArgument, warnStreamifyOrder } from './misuse.js';
import { copyRuntimeMarkers, isStreamingHandler, runtimeAcceptsCallbacks, WRAPPED } from './runtime.js';

/** Any function (internal: the implementation's view of a handler). */
type AnyFn = (...args: any[]) => any;
type Callback = (error?: unknown, result?: unknown) => void;

// Method syntax (`{ m(...): R }['m']`) makes the parameters bivariant: a handler typed
// `(event: SQSEvent, context)` fits, while an untyped `(event, context) => …` gets
// `event: unknown` and `context: Context`.
/**
 * A Lambda function handler as {@link withFlush} takes it: `(event, context)` returning a
 * promise or a value, or `(event, context, callback)`. Any `Handler<TEvent, TResult>` of
 * `@types/aws-lambda` (e.g. `APIGatewayProxyHandlerV2`, `SQSHandler`) is one.
 */
export type LambdaHandler = { handler(event: unknown, context: LambdaContext, callback: (error?: any, result?: any) => void): unknown }['handler'];

/** A response-streaming handler, `awslambda.streamifyResponse(...)`'s result: `(event, responseStream, context)`. */
export type StreamingLambdaHandler = { handler(event: unknown, responseStream: NodeJS.WritableStream, context: LambdaContext): unknown }['handler'];

/**
 * Wraps a Lambda handler: one span per invoke, active while the handler runs, ended and
 * flushed before the result (or the same error) goes back to the runtime.
 *
 * Works with async / promise handlers, synchronous ones, callback handlers (a 3-parameter
 * wrapper where the runtime still accepts them, Node.js 22 and older; elsewhere a 2-parameter
 * promise wrapper that adapts the callback) and `awslambda.streamifyResponse` handlers (the
 * span ends and the flush runs when the response stream has finished).
 *
 * The wrapper has the handler's type: give the handler type (`withFlush<SQSHandler>(…)`) or
 * type the inner handler's `event` to get typed events; an untyped `event` is `unknown`.
 *
 * @example
 * ```ts
 * import type { APIGatewayProxyHandlerV2 } from 'aws-lambda';
 * import { setupTelemetry, withFlush } from 'otel-lambda-flush';
 *
 * setupTelemetry(); // registers OTLP/HTTP providers from the OTEL_* variables
 *
 * export const handler = withFlush<APIGatewayProxyHandlerV2>(async (event) => {
 *   return { statusCode: 200, body: `hello from ${event.rawPath}` };
 * });
 * ```
 *
 * @param handler The function handler.
 * @param options See {@link OtelLambdaOptions}. A wrong option type throws a `TypeError` here.
 * @returns A handler of the same type. Wrapping a wrapper returns it unchanged.
 */
export function withFlush<H extends LambdaHandler>(handler: H, options?: OtelLambdaOptions): H;
/**
 * Wraps a response-streaming handler: write `withFlush(awslambda.streamifyResponse(handler))`
 * (the other order is not supported and warns). The span ends and the flush runs when the
 * response stream has finished.
 *
 * @param handler The result of `awslambda.streamifyResponse(...)`.
 * @param options See {@link OtelLambdaOptions}.
 */
export function withFlush<H extends StreamingLambdaHandler>(handler: H, options?: OtelLambdaOptions): H;
export function withFlush(handler: AnyFn, options?: OtelLambdaOptions): AnyFn {
  if (typeof handler !== 'function') throw new TypeError(`otel-lambda-flush: withFlush() expects a handler function, got ${handler === null ? 'null' : typeof handler}`);
  if ((handler as unknown as Record<symbol, unknown>)[WRAPPED]) return handler;
  const core = createCore(options);
  let wrapper: AnyFn;
  if (isStreamingHandler(handler)) wrapper = streamingWrapper(core, handler);
  else {
    if (handler.length >= 3) wrapper = runtimeAcceptsCallbacks() ? callbackWrapper(core, handler) : adaptedCallbackWrapper(core, handler);
    else wrapper = promiseWrapper(core, handler);
    wrapper = detectingStreamifyOutside(core, handler, wrapper);
  }
  copyRuntimeMarkers(handler, wrapper);
  Object.defineProperty(wrapper, 'name', { value: handler.name || 'handler' });
  Object.defineProperty(wrapper, WRAPPED, { value: true });
  return wrapper;
}

/** Starts an invoke; the first one also checks that some provider is there to receive it. */
function begin(core: InvocationCore, event: unknown, lambdaContext: LambdaContext): Invocation | Promise<Invocation> {
  checkProvidersAtFirstInvoke(core.config.options);
  return core.begin(event, lambdaContext);
}

/**
 * `awslambda.streamifyResponse(withFlush(h))`: the runtime calls the wrapper with a response
 * stream where the context belongs. Say so once, and serve the invoke as a streaming one
 * (span from the real context, flushed when the stream ends) rather than a degraded span.
 */
function detectingStreamifyOutside(core: InvocationCore, handler: AnyFn, wrapper: AnyFn): AnyFn {
  let streaming: AnyFn | undefined;
  // Named parameters and `arguments` rather than a rest array: this runs at every invoke.
  const detecting = function (this: unknown, event: unknown, second: unknown): unknown {
    if (arguments.length >= 3) {
      // eslint-disable-next-line prefer-rest-params -- all the runtime passed, without copying them
      const args = arguments as unknown as unknown[];
      if (isResponseStreamArgument(second)) {
        warnStreamifyOrder();
        streaming ??= streamingWrapper(core, handler);
        return streaming.apply(this, args);
      }
      return wrapper.apply(this, args);
    }
    return wrapper.call(this, event, second);
  };
  // The runtime inspects `length` (callback handlers): keep the chosen wrapper's.
  Object.defineProperty(detecting, 'length', { value: wrapper.length });
  return detecting;
}

/** Runs `fn` with the invocation span active; a synchronous throw becomes a rejection. */
function runIn(inv: Invocation, fn: () => unknown): Promise<unknown> {
  try {
    return Promise.resolve(context.with(inv.context, fn));
  } catch (e) {
    return Promise.reject(e);
  }
}

async function settle(inv: Invocation, fn: () => unknown): Promise<unknown> {
  let result: unknown;
  try {
    result = await runIn(inv, fn);
  } catch (error) {
    await inv.finish({ error, failed: true });
    throw error; // the same object, so the runtime reports the same errorType / message
  }
  await inv.finish({ result });
  return result;
}

function promiseWrapper(core: InvocationCore, handler: AnyFn): AnyFn {
  return function otelLambdaHandler(this: unknown, event: unknown, lambdaContext: LambdaContext) {
    const started = begin(core, event, lambdaContext);
    if (started instanceof Promise) return started.then((inv) => settle(inv, () => handler.call(this, event, lambdaContext)));
    return settle(started, () => handler.call(this, event, lambdaContext));
  };
}

/** Calls a callback handler and turns whichever comes first (callback, promise, throw) into a promise. */
function callIntoPromise(handler: AnyFn, self: unknown, event: unknown, lambdaContext: LambdaContext): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const done: Callback = (error, result) => {
      if (error !== undefined && error !== null) reject(error);
      else resolve(result);
    };
    const returned = handler.call(self, event, lambdaContext, done);
    if (returned && typeof (returned as Promise<unknown>).then === 'function') (returned as Promise<unknown>).then(resolve, reject);
  });
}

/** Node <= 22: keep the 3-parameter shape, answer through the runtime's callback after the flush. */
function callbackWrapper(core: InvocationCore, handler: AnyFn): AnyFn {
  return function otelLambdaCallbackHandler(this: unknown, event: unknown, lambdaContext: LambdaContext, callback: Callback): void {
    Promise.resolve(begin(core, event, lambdaContext))
      .then((inv) => settle(inv, () => callIntoPromise(handler, this, event, lambdaContext)))
      .then(
        (result) => callback(null, result),
        (error: unknown) => callback(error),
      );
  };
}

/** Node >= 24: the runtime rejects 3-parameter handlers, so expose 2 and adapt the callback. */
function adaptedCallbackWrapper(core: InvocationCore, handler: AnyFn): AnyFn {
  return function otelLambdaHandler(this: unknown, event: unknown, lambdaContext: LambdaContext) {
    return Promise.resolve(begin(core, event, lambdaContext)).then((inv) =>
      settle(inv, () => callIntoPromise(handler, this, event, lambdaContext)),
    );
  };
}

interface ResponseStreamLike {
  writableFinished?: boolean;
  destroyed?: boolean;
  once?: (event: string, fn: (...args: unknown[]) => void) => unknown;
  off?: (event: string, fn: (...args: unknown[]) => void) => unknown;
}

/** Resolves when the stream finished, closed or errored, or after `maxMs`. */
function streamDone(stream: ResponseStreamLike, maxMs: number): Promise<void> {
  if (!stream || stream.writableFinished || stream.destroyed || typeof stream.once !== 'function') return Promise.resolve();
  return new Promise((resolve) => {
    const events = ['finish', 'close', 'error'];
    const done = () => {
      clearTimeout(timer);
      for (const e of events) stream.off?.(e, done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, maxMs));
    timer.unref?.();
    for (const e of events) stream.once?.(e, done);
  });
}

/** streamifyResponse handlers: (event, responseStream, context), flush once the stream ended. */
function streamingWrapper(core: InvocationCore, handler: AnyFn): AnyFn {
  return function otelLambdaStreamingHandler(this: unknown, event: unknown, responseStream: ResponseStreamLike, lambdaContext: LambdaContext) {
    return Promise.resolve(begin(core, event, lambdaContext)).then(async (inv) => {
      let result: unknown;
      try {
        result = await runIn(inv, () => handler.call(this, event, responseStream, lambdaContext));
      } catch (error) {
        await inv.finish({ error, failed: true });
        throw error;
      }
      let remaining = core.config.options.flushTimeoutMs;
      try {
        remaining = Math.max(0, lambdaContext.getRemainingTimeInMillis() - core.config.options.deadlineMarginMs);
      } catch {
        // no clock: fall back to the flush timeout
      }
      await streamDone(responseStream, remaining);
      await inv.finish({ result });
      return result;
    });
  };
}
