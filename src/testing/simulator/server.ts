// The HTTP server behind AWS_LAMBDA_RUNTIME_API: routes to the current environment.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Environment } from './environment.js';
import { handleExtensionsApi } from './extensions-api.js';
import { sendError } from './http.js';
import { handleRuntimeApi } from './runtime-api.js';
import type { TelemetryLog } from './types.js';

/** A listening API server and its address (`127.0.0.1:port`). */
export interface ApiServer {
  server: Server;
  address: string;
  close(): Promise<void>;
}

/** Starts the API server on 127.0.0.1; `current()` is the live environment, if any. */
export async function startApiServer(port: number, log: TelemetryLog, current: () => Environment | undefined): Promise<ApiServer> {
  const server = createServer((req, res) => {
    void route(req, res).catch((error: unknown) => {
      sendError(res, 500, 'ServiceException', (error as Error).message);
    });
  });
  // Long polls wait for minutes and the client may be frozen: no server-side timeouts.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 0;
  server.timeout = 0;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const method = req.method ?? 'GET';
    const env = current();
    if (!env || env.dead) {
      req.resume();
      return sendError(res, 503, 'ServiceException', 'no execution environment is running');
    }
    if (await handleRuntimeApi(env, method, path, req, res)) return;
    if (await handleExtensionsApi(env, log, method, path, req, res)) return;
    req.resume();
    sendError(res, 404, 'NotFound', `no route for ${method} ${path}`);
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(new Error(error.code === 'EADDRINUSE' ? `LambdaSimulator: port ${port} on 127.0.0.1 is in use` : `LambdaSimulator: cannot listen: ${error.message}`));
    };
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve();
    });
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    server,
    address: `127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
