// What otelFlush() must know about middy's internals (middy 5, 6 and 7), in one place, pinned by
// test/unit/internals/middy.test.ts against each major version.
// - middy 6/7 mark every early exit with `request.earlyResponse` (an own property).
// - middy 5 has no marker: its early return is the one assignment of `request.response` made by
//   `runMiddlewares` while the before stack runs; only the call stack tells.

/** middy 6/7: the request carries the early-response marker. */
export function hasEarlyResponseMarker(request: object): boolean {
  return Object.hasOwn(request, 'earlyResponse');
}

/**
 * Whether the current assignment comes from middy 5's `runMiddlewares` (an early return in the
 * before stack) rather than from `runRequest` (the handler's result). Reads function names from
 * the stack: with a minified middy 5 it answers false, and an early return is then flushed at
 * the next invoke instead.
 */
export function assignedByMiddy5BeforeStack(): boolean {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 4;
  try {
    Error.captureStackTrace(holder, assignedByMiddy5BeforeStack);
  } finally {
    Error.stackTraceLimit = limit;
  }
  return /\brunMiddlewares\b/.test(holder.stack ?? '');
}
