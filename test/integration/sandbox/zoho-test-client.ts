import axios, { type AxiosInstance } from 'axios';
import { createZohoSimulator, type ZohoSimulator, type ZohoSimulatorOptions } from '../../../src/sandbox/zoho';

export interface ZohoHarness {
  sim: ZohoSimulator;
  /** Unauthenticated client on the simulator root (OAuth, /_sim). */
  root: AxiosInstance;
  /** Client on /crm/v8 with a fresh `Zoho-oauthtoken`. */
  api: AxiosInstance;
  token: string;
}

export const CREDENTIALS = {
  grant_type: 'refresh_token',
  client_id: 'sandbox-zoho-client',
  client_secret: 'sandbox-zoho-secret',
  refresh_token: 'sandbox-zoho-refresh',
};

export async function fetchToken(root: AxiosInstance): Promise<string> {
  const res = await root.post<{ access_token: string }>('/oauth/v2/token', null, { params: CREDENTIALS });
  if (res.status !== 200 || typeof res.data.access_token !== 'string') throw new Error(`token request failed: ${res.status}`);
  return res.data.access_token;
}

export function apiClient(url: string, token: string): AxiosInstance {
  return axios.create({ baseURL: `${url}/crm/v8`, headers: { Authorization: `Zoho-oauthtoken ${token}` }, validateStatus: () => true });
}

/** A simulator on port 0 plus clients that, like a real integration, talk to it over HTTP. */
export async function startZoho(options: Partial<ZohoSimulatorOptions> = {}): Promise<ZohoHarness> {
  const sim = await createZohoSimulator({ port: 0, ...options });
  const root = axios.create({ baseURL: sim.url, validateStatus: () => true });
  const token = await fetchToken(root);
  return { sim, root, api: apiClient(sim.url, token), token };
}

export const ISO_SECONDS_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
