import { Client } from '@hubspot/api-client';
import { createHubspotSimulator, type HubspotSimulator } from '../../../src/sandbox/hubspot';
import { connectSdkClient } from '../../../src/sandbox/hubspot/sdk-client';

async function failure(promise: Promise<unknown>): Promise<{ code: unknown; body: unknown; headers: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error) {
      return { code: error.code, body: 'body' in error ? error.body : undefined, headers: 'headers' in error ? error.headers : undefined };
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('OAuth tokens', () => {
  let sim: HubspotSimulator;
  beforeAll(async () => {
    sim = await createHubspotSimulator({ port: 0, accessTokenTtlSeconds: 1 });
  });
  afterAll(() => sim.close());

  test('tokensApi.create refreshes; the token works until it expires, then 401 EXPIRED_AUTHENTICATION', async () => {
    const client = new Client({ basePath: sim.url, numberOfApiCallRetries: 1 });
    const token = await client.oauth.tokensApi.create('refresh_token', undefined, undefined, sim.options.clientId, sim.options.clientSecret, sim.options.refreshToken);
    expect(token).toMatchObject({ tokenType: 'bearer', expiresIn: 1, refreshToken: sim.options.refreshToken });
    client.setAccessToken(token.accessToken);
    await client.crm.contacts.basicApi.getPage();
    const issuedAt = Date.now();
    // Poll the real condition (the token turning stale) rather than sleeping a fixed second.
    let expired: Awaited<ReturnType<typeof failure>> | undefined;
    while (!expired && Date.now() - issuedAt < 5000) {
      expired = await failure(client.crm.contacts.basicApi.getPage()).catch(() => undefined);
      if (!expired) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(expired?.code).toBe(401);
    expect(expired?.body).toMatchObject({ status: 'error', category: 'EXPIRED_AUTHENTICATION' });
    expect(JSON.stringify(expired?.body)).toMatch(/The OAuth token used to make this call expired \d+ second\(s\) ago\./);
    const fresh = await connectSdkClient(sim);
    await expect(fresh.crm.contacts.basicApi.getPage()).resolves.toHaveProperty('results');
  });

  test('unknown tokens and bad refresh tokens are refused', async () => {
    const stranger = new Client({ basePath: sim.url, accessToken: 'pat-na1-not-issued-here', numberOfApiCallRetries: 1 });
    const unknown = await failure(stranger.crm.companies.basicApi.getPage());
    expect(unknown.code).toBe(401);
    expect(unknown.body).toMatchObject({ category: 'INVALID_AUTHENTICATION' });
    const badRefresh = await failure(stranger.oauth.tokensApi.create('refresh_token', undefined, undefined, sim.options.clientId, sim.options.clientSecret, 'nope'));
    expect(badRefresh.code).toBe(400);
    expect(badRefresh.body).toMatchObject({ status: 'BAD_REFRESH_TOKEN' });
  });
});

describe('ten-secondly rate limit', () => {
  let sim: HubspotSimulator;
  beforeAll(async () => {
    sim = await createHubspotSimulator({ port: 0, rateLimit: { perTenSeconds: 3, searchPerSecond: 5 } });
  });
  afterAll(() => sim.close());

  test('the 4th call within 10 s is a 429 TEN_SECONDLY_ROLLING with rate-limit headers; buckets are per token', async () => {
    const client = await connectSdkClient(sim);
    const first = await fetch(`${sim.url}/crm/v3/objects/contacts`, { headers: { authorization: `Bearer ${await tokenOf(sim)}` } });
    expect(first.headers.get('x-hubspot-ratelimit-max')).toBe('3');
    expect(first.headers.get('x-hubspot-ratelimit-remaining')).toBe('2');
    expect(first.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    for (let i = 0; i < 3; i += 1) await client.crm.contacts.basicApi.getPage();
    const limited = await failure(client.crm.contacts.basicApi.getPage());
    expect(limited.code).toBe(429);
    expect(limited.body).toMatchObject({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
    });
    const other = await connectSdkClient(sim);
    await expect(other.crm.contacts.basicApi.getPage()).resolves.toHaveProperty('results');
    const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as { status: Record<string, number> };
    expect(stats.status['429']).toBe(1);
  });
});

async function tokenOf(sim: HubspotSimulator): Promise<string> {
  const res = await fetch(`${sim.url}/oauth/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: sim.options.clientId, client_secret: sim.options.clientSecret, refresh_token: sim.options.refreshToken }),
  });
  const body = (await res.json()) as { access_token: string };
  return body.access_token;
}
