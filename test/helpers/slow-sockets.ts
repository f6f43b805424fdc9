// A slow-loris flood for the listener tests: `count` sockets that send a request line and then
// one header line a second, never finishing their headers. Bounded: `stop()` ends the drip and
// destroys every socket.
import { connect, type Socket } from 'node:net';

export interface SlowFlood {
  readonly sockets: readonly Socket[];
  stop(): void;
}

export function slowSocketFlood(port: number, host: string, path: string, count = 300): SlowFlood {
  const sockets = Array.from({ length: count }, () => {
    const s = connect(port, host);
    s.on('error', () => undefined);
    s.resume(); // read the server's answer (a 408), so that 'end' is seen
    s.setNoDelay(true);
    s.write(`POST ${path} HTTP/1.1\r\n`);
    return s;
  });
  let line = 0;
  const drip = setInterval(() => {
    line++;
    for (const s of sockets) if (!s.destroyed) s.write(`x-slow-${line}: ${line}\r\n`);
  }, 1000);
  return {
    sockets,
    stop() {
      clearInterval(drip);
      for (const s of sockets) s.destroy();
    },
  };
}
