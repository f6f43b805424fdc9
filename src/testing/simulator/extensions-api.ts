// Extensions API (/2020-01-01/extension) and Telemetry API subscription (/2022-07-01/telemetry).
import { randomUUID } from 'node:crypto';
import { accessSync, constants, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Environment, ExtensionState } from './environment.js';
import { header, readBody, sendError, sendJson, tryJson } from './http.js';
import { parseSubscription } from './telemetry-subscription.js';
import type { ExtensionEventType, TelemetryLog } from './types.js';

/** Lambda allows at most this many extensions per function. */
export const MAX_EXTENSIONS = 10;
const MAX_BODY = 64 * 1024;

/** Routes one Extensions/Telemetry API request; false when the path is not one of them. */
export async function handleExtensionsApi(env: Environment, log: TelemetryLog, method: string, path: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const route = `${method} ${path}`;
  switch (route) {
    case 'POST /2020-01-01/extension/register':
      await onRegister(env, req, res);
      return true;
    case 'GET /2020-01-01/extension/event/next':
      onEventNext(env, req, res);
      return true;
    case 'POST /2020-01-01/extension/init/error':
    case 'POST /2020-01-01/extension/exit/error':
      await onExtensionError(env, path.endsWith('init/error'), req, res);
      return true;
    case 'PUT /2022-07-01/telemetry':
      await onSubscribe(env, log, req, res);
      return true;
    default:
      return false;
  }
}

/** Reads a small JSON body; replies 400 and returns undefined when it is not JSON. */
async function readJson(req: IncomingMessage, res: ServerResponse): Promise<{ value: unknown } | undefined> {
  const read = await readBody(req, MAX_BODY).catch(() => undefined);
  if (!read) return undefined;
  if (read.tooLarge) {
    sendError(res, 413, 'RequestEntityTooLarge', `body larger than ${MAX_BODY} bytes`);
    return undefined;
  }
  const parsed = tryJson(read.body.toString('utf8'));
  if (!parsed.ok) {
    sendError(res, 400, 'InvalidRequestFormat', 'body must be JSON');
    return undefined;
  }
  return { value: parsed.value };
}

/** An extension is external when an executable of its name sits in the extensions directory. */
function isExternal(dir: string, name: string): boolean {
  if (name.includes('/') || name === '.' || name === '..') return false;
  try {
    const file = join(dir, name);
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

async function onRegister(env: Environment, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req, res);
  if (!body) return;
  const name = header(req, 'Lambda-Extension-Name');
  if (!name) return sendError(res, 400, 'InvalidRequestFormat', 'Lambda-Extension-Name header required');
  if (env.opts.closeRegistrationEarly || env.registrationClosed || env.initError || env.dead) {
    return sendError(res, 403, 'Extension.RegistrationClosed', 'extension registration is closed (the runtime has called /next)');
  }
  const events = (body.value as { events?: unknown } | null)?.events;
  if (!Array.isArray(events) || !events.every((e) => e === 'INVOKE' || e === 'SHUTDOWN')) {
    return sendError(res, 400, 'InvalidRequestFormat', 'body must be {"events": [...]} with INVOKE and/or SHUTDOWN');
  }
  const internal = !isExternal(env.opts.extensionsDir, name);
  if (internal && events.includes('SHUTDOWN')) {
    return sendError(res, 403, 'Extension.InvalidEventType', 'internal extensions cannot register for SHUTDOWN');
  }
  if (env.opts.maxConcurrency !== undefined && events.includes('INVOKE')) {
    return sendError(res, 403, 'Extension.InvalidEventType', 'extensions cannot register for INVOKE when AWS_LAMBDA_MAX_CONCURRENCY is set');
  }
  if (env.extensions.size >= MAX_EXTENSIONS) return sendError(res, 403, 'Extension.TooManyExtensions', `at most ${MAX_EXTENSIONS} extensions`);
  for (const ext of env.extensions.values()) {
    if (ext.info.name === name) return sendError(res, 409, 'Extension.AlreadyRegistered', `extension ${name} is already registered`);
  }
  const id = randomUUID();
  env.extensions.set(id, { info: { name, id, events: [...new Set(events as ExtensionEventType[])], internal }, polledOnce: false, queue: [] });
  const reply: Record<string, string> = { functionName: env.opts.functionName, functionVersion: env.opts.functionVersion, handler: env.opts.handler };
  if (header(req, 'Lambda-Extension-Accept-Feature')?.split(',').some((f) => f.trim() === 'accountId')) reply.accountId = env.opts.accountId;
  sendJson(res, 200, reply, { 'Lambda-Extension-Identifier': id });
  env.changed();
}

/** The extension named by the identifier header, or a 403 reply. */
function extensionOf(env: Environment, req: IncomingMessage, res: ServerResponse): ExtensionState | undefined {
  const id = header(req, 'Lambda-Extension-Identifier');
  const ext = id === undefined ? undefined : env.extensions.get(id);
  if (!ext) sendError(res, 403, 'Extension.UnknownExtensionIdentifier', id === undefined ? 'Lambda-Extension-Identifier header required' : `unknown extension identifier ${id}`);
  return ext;
}

function onEventNext(env: Environment, req: IncomingMessage, res: ServerResponse): void {
  const ext = extensionOf(env, req, res);
  if (!ext) return;
  if (ext.poll && !ext.poll.destroyed) return sendError(res, 409, 'Extension.AlreadyPolling', 'this extension already has a pending /event/next');
  if (!ext.polledOnce) {
    ext.polledOnce = true;
    env.telemetry.emit('platform.extension', { name: ext.info.name, state: 'Ready', events: ext.info.events });
  }
  const inv = env.current;
  if (inv && inv.endedAt === undefined && ext.lastDelivered === inv.requestId && inv.invokeExts.includes(ext.info.id) && !inv.extDone.has(ext.info.id)) {
    inv.extDone.add(ext.info.id);
    inv.lastExtDoneAt = performance.now();
  }
  ext.poll = res;
  res.on('close', () => {
    if (ext.poll === res) ext.poll = undefined;
  });
  const queued = ext.queue.shift();
  if (queued) env.deliverToExtension(ext, queued);
  env.checkInit();
  env.checkInvokeEnd();
  env.changed();
}

async function onExtensionError(env: Environment, duringInit: boolean, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const read = await readBody(req, MAX_BODY).catch(() => undefined);
  if (!read) return;
  const ext = extensionOf(env, req, res);
  if (!ext) return;
  const errorType = header(req, 'Lambda-Extension-Function-Error-Type');
  if (!errorType) return sendError(res, 400, 'InvalidRequestFormat', 'Lambda-Extension-Function-Error-Type header required');
  if (duringInit) {
    if (env.initDoneAt !== undefined) return sendError(res, 403, 'InvalidStateTransition', 'init/error is only accepted during init');
    const parsed = tryJson(read.body.toString('utf8'));
    const message = parsed.ok && typeof (parsed.value as { errorMessage?: unknown })?.errorMessage === 'string' ? (parsed.value as { errorMessage: string }).errorMessage : `extension ${ext.info.name} reported an init error`;
    env.initError = { errorType, errorMessage: message };
  }
  sendJson(res, 202, { status: 'OK' });
  env.changed();
}

async function onSubscribe(env: Environment, log: TelemetryLog, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req, res);
  if (!body) return;
  const ext = extensionOf(env, req, res);
  if (!ext) return;
  if (env.initDoneAt !== undefined) return sendError(res, 403, 'Telemetry.SubscriptionClosed', 'Telemetry API subscriptions are only accepted during init');
  const parsed = parseSubscription(body.value, env.opts.telemetryHost);
  if (!parsed.ok) return sendError(res, 400, 'ValidationError', parsed.message);
  const sub = parsed.value;
  env.telemetry.subscribe(ext.info.id, ext.info.name, sub);
  log.subscriptions.push({ pid: env.pid, extensionName: ext.info.name, extensionId: ext.info.id, ...sub });
  env.telemetry.emit('platform.telemetrySubscription', { name: ext.info.name, state: 'Subscribed', types: sub.types });
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.end('OK');
}
