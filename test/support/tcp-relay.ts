import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP relay from a loopback `port` to `target` (host:port): the thing behind it "comes up" when the relay starts
 * listening and "goes away" when it closes, without touching the real server other tests share.
 *
 * With several targets it is a round-robin load balancer, one connection at a time, as a deployment's would be in
 * front of several API replicas: a target that refuses the connection (a replica that is down) is skipped.
 */
export async function startRelay(port: number, target: string | readonly string[]): Promise<{ close(): Promise<void> }> {
  const targets = (typeof target === 'string' ? [target] : target).map(hostAndPort);
  let next = 0;
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
  };
  const server = createServer((socket) => {
    track(socket);
    // Held until an upstream takes the connection, so nothing the client sent first is lost.
    socket.pause();
    const first = next;
    next = (next + 1) % targets.length;
    const tryTarget = (attempt: number) => {
      const chosen = targets[(first + attempt) % targets.length];
      if (!chosen || attempt >= targets.length || socket.destroyed) {
        socket.destroy();
        return;
      }
      const upstream = connect(chosen.port, chosen.host);
      track(upstream);
      let connected = false;
      upstream.once('error', () => {
        if (!connected) tryTarget(attempt + 1);
      });
      upstream.once('connect', () => {
        connected = true;
        for (const [from, to] of [[socket, upstream], [upstream, socket]] as const) from.once('close', () => to.destroy());
        socket.pipe(upstream).pipe(socket);
        socket.resume();
      });
    };
    tryTarget(0);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function hostAndPort(target: string): { host: string; port: number } {
  const [host = '127.0.0.1', port = ''] = target.split(':');
  return { host, port: Number(port) };
}
