import { randomInt } from 'node:crypto';
import { createServer } from 'node:net';

/*
 * Below Linux's default ephemeral range (32768-60999): a port the OS hands out for bind(0) is also where outgoing
 * connections take their local ports from, so one picked there can be taken by any connection before our server binds
 * it. Picked at random here, it can only meet another picker's choice.
 */
const RANGE = { from: 20_000, to: 32_000 } as const;
const TRIES = 20;

/** A port nothing listens on right now, for servers that must be told their port up front. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < TRIES; attempt++) {
    const port = await listenOn(randomInt(RANGE.from, RANGE.to));
    if (port !== null) return port;
  }
  // a crowded range: let the OS pick
  const port = await listenOn(0);
  if (port === null) throw new Error('no free TCP port on 127.0.0.1');
  return port;
}

/** Binds and releases `port` (0: any), resolving with the port bound, or null when it was taken. */
function listenOn(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : null;
      server.close(() => resolve(bound));
    });
  });
}
