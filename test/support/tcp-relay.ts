import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP relay from a loopback `port` to `target` (host:port): the thing behind it "comes up" when the relay starts
 * listening and "goes away" when it closes, without touching the real server other tests share.
 */
export async function startRelay(port: number, target: string): Promise<{ close(): Promise<void> }> {
  const [host = '127.0.0.1', targetPort = ''] = target.split(':');
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    const upstream = connect(Number(targetPort), host);
    for (const end of [socket, upstream]) {
      sockets.add(end);
      end.on('error', () => undefined);
      end.on('close', () => {
        sockets.delete(end);
        socket.destroy();
        upstream.destroy();
      });
    }
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
