// The log socket of Lambda Managed Instances: in multi-concurrent mode the runtime client connects
// to the Unix socket named by _LAMBDA_TELEMETRY_LOG_FD_PROVIDER_SOCKET and writes one JSON log
// line per console call to it (instead of stdout). Lines are handed to the current environment.
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** A listening log socket. */
export interface LogSocket {
  path: string;
  close(): Promise<void>;
}

/** Listens on a fresh Unix socket path; every line any client writes goes to `onLine`. */
export async function startLogSocket(onLine: (line: string) => void): Promise<LogSocket> {
  const path = join(tmpdir(), `lambda-sim-logs-${randomUUID()}.sock`);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => undefined); // the process may die mid-line
    createInterface({ input: socket, crlfDelay: Infinity }).on('line', onLine);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => {
          rmSync(path, { force: true });
          resolve();
        });
      }),
  };
}
