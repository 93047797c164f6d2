import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';

/**
 * An agent whose sockets are destroyed after `timeoutMs` of silence. The HubSpot client (node-fetch 2) has no
 * request timeout of its own, so without this a server that never answers would hold an activity until Temporal's
 * start-to-close timeout and leak the socket afterwards. Destroying the socket makes the request fail as a network
 * error, which the connector classifies as transient.
 */
export function createTimeoutAgent(baseUrl: string, timeoutMs: number): http.Agent {
  const AgentClass = new URL(baseUrl).protocol === 'https:' ? https.Agent : http.Agent;
  class TimeoutAgent extends AgentClass {
    override createConnection(
      options: http.ClientRequestArgs,
      callback?: (err: Error | null, stream: Duplex) => void,
    ): Duplex | null | undefined {
      const socket = super.createConnection(options, callback);
      socket?.on('timeout', () => socket.destroy(new Error(`no response within ${timeoutMs} ms`)));
      return socket;
    }
  }
  return new TimeoutAgent({ keepAlive: false, timeout: timeoutMs });
}
