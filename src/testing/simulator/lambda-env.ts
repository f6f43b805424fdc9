// The environment variables Lambda gives a Node.js function process.
import { dirname } from 'node:path';
import { newLogStreamName } from './ids.js';
import { nodeMajor, type ResolvedOptions } from './options.js';

/** The invoked function ARN (unqualified, as for a plain invoke). */
export function functionArn(o: ResolvedOptions): string {
  return `arn:aws:lambda:${o.region}:${o.accountId}:function:${o.functionName}`;
}

/** A clean Lambda-like environment (the test runner's own variables are not inherited, except PATH). */
export function lambdaEnv(o: ResolvedOptions, runtimeApi: string, logSocket?: string): Record<string, string> {
  const env: Record<string, string> = {
    // As Lambda's /var/lang/bin: the runtime's Node first, for wrappers and child processes.
    PATH: `${dirname(o.nodeBinary)}:${process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'}`,
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    AWS_LAMBDA_RUNTIME_API: runtimeApi,
    AWS_LAMBDA_FUNCTION_NAME: o.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: o.functionVersion,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(o.memorySizeMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${o.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: newLogStreamName(o.functionVersion),
    AWS_LAMBDA_INITIALIZATION_TYPE: o.initializationType,
    AWS_REGION: o.region,
    AWS_DEFAULT_REGION: o.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${o.nodeBinary === process.execPath ? process.versions.node.split('.')[0] : nodeMajor(o.nodeBinary)}.x`,
    LAMBDA_TASK_ROOT: o.taskRoot,
    LAMBDA_RUNTIME_DIR: dirname(o.ricPath),
    _HANDLER: o.handler,
  };
  if (o.maxConcurrency !== undefined) env.AWS_LAMBDA_MAX_CONCURRENCY = String(o.maxConcurrency);
  if (o.managedInstances?.workerCount !== undefined) env.AWS_LAMBDA_NODEJS_WORKER_COUNT = String(o.managedInstances.workerCount);
  // Multi-concurrent mode: the client connects here and writes its JSON log lines to the socket.
  if (logSocket !== undefined) env._LAMBDA_TELEMETRY_LOG_FD_PROVIDER_SOCKET = logSocket;
  return { ...env, ...o.env };
}

/**
 * The flags Lambda's Node.js bootstrap gives node: GC exposed, 80 KiB headers, and V8's heap sized
 * from the memory size (a tenth for the new space, in two semi-spaces; the rest old space). Without
 * them V8 sizes its heap for the test machine and the process's RSS says little about Lambda.
 */
export function lambdaNodeArgs(memorySizeMb: number): string[] {
  const newSpace = Math.floor(memorySizeMb / 10);
  return ['--expose-gc', '--max-http-header-size', '81920', `--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${memorySizeMb - newSpace}`];
}

/** The command Lambda starts: the runtime's command line, behind the exec wrapper when one is set. */
export function runtimeCommand(o: ResolvedOptions): { file: string; args: string[] } {
  const runtime = [o.nodeBinary, ...lambdaNodeArgs(o.memorySizeMb), o.ricPath, o.handler];
  return o.execWrapper === undefined ? { file: runtime[0]!, args: runtime.slice(1) } : { file: o.execWrapper, args: runtime };
}
