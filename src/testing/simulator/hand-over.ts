// Handing an event to the runtime: one of its pending /next polls gets the event with Lambda's
// headers, the INVOKE-registered extensions get their INVOKE event, platform.start is emitted.
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Environment, InvokeState } from './environment.js';
import { newRequestId, newTraceHeader } from './ids.js';
import { functionArn } from './lambda-env.js';
import type { InvokeOptions } from './types.js';

/** Hands an event (serialized JSON) to the waiting runtime and INVOKE events to the extensions; undefined if nobody polls. */
export async function handOver(env: Environment, body: string, options: InvokeOptions): Promise<InvokeState | undefined> {
  const deadline = performance.now() + env.opts.timeoutMs;
  let poller: ServerResponse | undefined;
  // Several invokes may wait for a poller at once (Managed Instances): each takes its own.
  while (!(poller = env.runtimePollers.shift())) {
    const left = deadline - performance.now();
    if (env.dead || left <= 0) return undefined;
    await env.waitFor(() => env.dead || env.runtimePollers.length > 0, left);
  }
  const traceId = options.traceId ?? newTraceHeader();
  const inv: InvokeState = {
    requestId: newRequestId(),
    traceId,
    handedAt: performance.now(),
    deadlineMs: Date.now() + env.opts.timeoutMs,
    invokeExts: [],
    extDone: new Set(),
    producedBytes: 0,
    timedOut: false,
    coldStart: env.invokeCount === 0,
  };
  env.current = inv;
  env.inflight.set(inv.requestId, inv);
  env.invokeCount++;
  env.telemetry.emit('platform.start', {
    requestId: inv.requestId,
    version: env.opts.functionVersion,
    tracing: { type: 'X-Amzn-Trace-Id', value: traceId },
  });
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'Lambda-Runtime-Aws-Request-Id': inv.requestId,
    'Lambda-Runtime-Deadline-Ms': String(inv.deadlineMs),
    'Lambda-Runtime-Invoked-Function-Arn': functionArn(env.opts),
    'Lambda-Runtime-Trace-Id': traceId,
  };
  if (options.clientContext !== undefined) headers['Lambda-Runtime-Client-Context'] = asHeader(options.clientContext);
  if (options.cognitoIdentity !== undefined) headers['Lambda-Runtime-Cognito-Identity'] = asHeader(options.cognitoIdentity);
  poller.writeHead(200, headers);
  poller.end(body);
  for (const [id, ext] of env.extensions) {
    if (!ext.info.events.includes('INVOKE')) continue;
    inv.invokeExts.push(id);
    ext.lastDelivered = inv.requestId;
    env.deliverToExtension(ext, {
      eventType: 'INVOKE',
      deadlineMs: inv.deadlineMs,
      requestId: inv.requestId,
      invokedFunctionArn: functionArn(env.opts),
      tracing: { type: 'X-Amzn-Trace-Id', value: traceId },
    });
  }
  return inv;
}

function asHeader(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
