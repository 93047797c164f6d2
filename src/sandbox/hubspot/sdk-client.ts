import { Client } from '@hubspot/api-client';
import type { HubspotSimulator } from './index';

/**
 * An official @hubspot/api-client pointed at a simulator and holding a fresh access token obtained the
 * way a real app would (refresh_token grant). For tests and local tooling.
 */
export async function connectSdkClient(sim: HubspotSimulator, numberOfApiCallRetries = 1): Promise<Client> {
  const client = new Client({ basePath: sim.url, numberOfApiCallRetries });
  const { clientId, clientSecret, refreshToken } = sim.options;
  const token = await client.oauth.tokensApi.create('refresh_token', undefined, undefined, clientId, clientSecret, refreshToken);
  client.setAccessToken(token.accessToken);
  return client;
}
