import { Agent, request } from 'node:http';
import { signatureV3 } from '../../src/sandbox/hubspot';

/** The headers HubSpot sends with a webhook body POSTed to `signedUri` (the URL it calls), signed (v3) at `timestamp`. */
export function signedHubspotHeaders(secret: string, signedUri: string, body: string, timestamp = Date.now()): Record<string, string> {
  return { 'content-type': 'application/json', 'x-hubspot-request-timestamp': String(timestamp), 'x-hubspot-signature-v3': signatureV3(secret, 'POST', signedUri, body, timestamp) };
}

/** POSTs `body` over a keep-alive agent; resolves with the status, 0 when no answer came (the load goes on). */
export function post(agent: Agent, url: URL, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}
