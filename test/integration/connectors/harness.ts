import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { createHubspotConnector } from '../../../src/connectors/hubspot/connector';
import { hubspotTokenExchange } from '../../../src/connectors/hubspot/token-exchange';
import { createTokenProvider } from '../../../src/connectors/oauth/token-provider';
import type { CrmConnector } from '../../../src/connectors/types';
import { createZohoConnector, type ZohoConnector } from '../../../src/connectors/zoho/connector';
import { zohoTokenExchange } from '../../../src/connectors/zoho/token-exchange';
import { DEFAULT_SYNC_RULES } from '../../../src/domain/schema/sync-rules';
import type { SyncStore } from '../../../src/store';

/** Talks to a simulator's /_sim admin routes (plain fetch: these are not CRM API calls). */
export function simAdmin(baseUrl: string) {
  const post = async (path: string, body?: unknown): Promise<void> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  };
  return {
    async stats(): Promise<{ tokensIssued: number; status: Record<'401' | '429' | '5xx', number> }> {
      const response = await fetch(`${baseUrl}/_sim/stats`);
      return z
        .object({ tokensIssued: z.number(), status: z.object({ '401': z.number(), '429': z.number(), '5xx': z.number() }) })
        .parse(await response.json());
    },
    faults: (settings: Record<string, unknown>) => post('/_sim/faults', settings),
    clearFaults: async (): Promise<void> => {
      await fetch(`${baseUrl}/_sim/faults`, { method: 'DELETE' });
    },
    expireTokens: () => post('/_sim/oauth/expire-tokens'),
    drainWebhooks: () => post('/_sim/webhooks/drain'),
  };
}

export interface CapturedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
}

/** A real HTTP endpoint that records what the simulators deliver to it (webhooks, notifications). */
export async function startCaptureServer(): Promise<{ url: string; requests: CapturedRequest[]; close(): Promise<void> }> {
  const requests: CapturedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawBody: Buffer.concat(chunks) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Unique-per-run values so tests sharing a simulator never collide. */
let counter = 0;
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}`;
}

/** Both CRM connectors over the simulators and one token store, built the way each system's definition builds them. */
export function sandboxConnectors(
  store: SyncStore,
  hubspot: { url: string; clientId: string; clientSecret: string; refreshToken: string },
  zoho: { url: string; clientId: string; clientSecret: string; refreshToken: string },
): { hubspot: CrmConnector; zoho: ZohoConnector } {
  return {
    hubspot: createHubspotConnector({
      rules: DEFAULT_SYNC_RULES,
      basePath: hubspot.url,
      tokens: createTokenProvider({ system: 'hubspot', store, refreshTokenFromConfig: hubspot.refreshToken, exchange: hubspotTokenExchange({ basePath: hubspot.url, ...hubspot }) }),
    }),
    zoho: createZohoConnector({
      rules: DEFAULT_SYNC_RULES,
      apiBaseUrl: zoho.url,
      tokens: createTokenProvider({ system: 'zoho', store, refreshTokenFromConfig: zoho.refreshToken, exchange: zohoTokenExchange({ accountsUrl: zoho.url, ...zoho }) }),
    }),
  };
}
