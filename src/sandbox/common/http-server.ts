import type { Express } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RunningServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:3101. */
  url: string;
  port: number;
  host: string;
  /** Stops accepting connections and destroys open ones (keep-alive and deliberately hung requests included). */
  close(): Promise<void>;
}

/**
 * Listens with an express app and tracks sockets so close() never waits on keep-alive clients
 * or on requests a fault injector chose never to answer.
 */
export function listen(app: Express, host: string, port: number): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const sockets = new Set<Socket>();
    const server: Server = app.listen(port, host);
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    server.once('error', reject);
    server.once('listening', () => {
      const address = server.address() as AddressInfo;
      const urlHost = host.includes(':') ? `[${host}]` : host;
      let closing: Promise<void> | null = null;
      resolve({
        url: `http://${urlHost}:${address.port}`,
        port: address.port,
        host,
        close() {
          closing ??= new Promise<void>((done) => {
            server.close(() => done());
            for (const socket of sockets) socket.destroy();
          });
          return closing;
        },
      });
    });
  });
}
