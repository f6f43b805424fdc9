// Connection accounting of the Telemetry API listener. A fixed cap on open connections, where a
// new connection evicts the oldest one instead of being refused: Lambda opens a connection and
// sends its request at once, so a crowd of slow or idle sockets (one header line a second, say)
// is what gets dropped, never the newest delivery.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

interface Tracked {
  /** A request of this connection is being read or answered. */
  busy: boolean;
}

/** Counts of {@link trackConnections}. */
export interface ConnectionCounters {
  /** Connections closed to make room for a newer one. */
  evicted: number;
}

/**
 * Keeps at most `max` connections of `server` open. When a new one arrives at the cap, the
 * oldest connection with no request in progress is destroyed (idle keep-alive sockets and
 * sockets still sending headers); only when every connection is busy, the oldest busy one.
 */
export function trackConnections(server: Server, max: number, counters: ConnectionCounters): void {
  // Insertion order is age order: a connection is moved to the end when a request of it ends.
  const open = new Map<Socket, Tracked>();
  server.on('connection', (socket: Socket) => {
    open.set(socket, { busy: false });
    socket.once('close', () => open.delete(socket));
    if (open.size > max) evictOne(open, socket, counters);
  });
  server.on('request', (req, res) => {
    const socket = req.socket;
    const t = open.get(socket);
    if (t) t.busy = true;
    res.once('close', () => {
      const tracked = open.get(socket);
      if (!tracked) return;
      tracked.busy = false;
      open.delete(socket);
      open.set(socket, tracked);
    });
  });
}

function evictOne(open: Map<Socket, Tracked>, newest: Socket, counters: ConnectionCounters): void {
  let victim: Socket | undefined;
  for (const [socket, t] of open) {
    if (socket === newest) continue;
    if (!t.busy) {
      victim = socket;
      break;
    }
    victim ??= socket;
  }
  if (!victim) return;
  open.delete(victim);
  counters.evicted++;
  victim.destroy();
}
