import axios, { type AxiosInstance } from 'axios';
import { createZohoSimulator, type ZohoSimulator } from '../../../src/sandbox/zoho';
import { CREDENTIALS, apiClient, fetchToken } from './zoho-test-client';

const sims: ZohoSimulator[] = [];
async function start(options: Parameters<typeof createZohoSimulator>[0] = {}): Promise<{ sim: ZohoSimulator; root: AxiosInstance }> {
  const sim = await createZohoSimulator({ port: 0, ...options });
  sims.push(sim);
  return { sim, root: axios.create({ baseURL: sim.url, validateStatus: () => true }) };
}
afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
});

describe('OAuth token endpoint', () => {
  it('issues tokens from query params, urlencoded and multipart bodies', async () => {
    const { sim, root } = await start();
    const viaQuery = await root.post('/oauth/v2/token', null, { params: CREDENTIALS });
    expect(viaQuery.status).toBe(200);
    expect(viaQuery.data).toEqual({ access_token: expect.stringMatching(/^1000\./), scope: expect.any(String), api_domain: sim.url, token_type: 'Bearer', expires_in: 3600 });
    const viaForm = await root.post('/oauth/v2/token', new URLSearchParams(CREDENTIALS).toString(), { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(viaForm.data.access_token).toEqual(expect.any(String));
    const form = new FormData();
    for (const [k, v] of Object.entries(CREDENTIALS)) form.append(k, v);
    const viaMultipart = await root.post('/oauth/v2/token', form);
    expect(viaMultipart.data.access_token).toEqual(expect.any(String));
    expect((await root.get('/_sim/stats')).data.tokensIssued).toBe(3);
  });

  it('answers refresh failures with HTTP 200 and an error body', async () => {
    const { root } = await start();
    const wrongClient = await root.post('/oauth/v2/token', null, { params: { ...CREDENTIALS, client_id: 'x' } });
    expect([wrongClient.status, wrongClient.data]).toEqual([200, { error: 'invalid_client' }]);
    const wrongSecret = await root.post('/oauth/v2/token', null, { params: { ...CREDENTIALS, client_secret: 'x' } });
    expect(wrongSecret.data).toEqual({ error: 'invalid_client_secret' });
    const wrongRefresh = await root.post('/oauth/v2/token', null, { params: { ...CREDENTIALS, refresh_token: 'x' } });
    expect([wrongRefresh.status, wrongRefresh.data]).toEqual([200, { error: 'invalid_code' }]);
  });

  it('throttles the 11th token per refresh token within 10 minutes with Access Denied', async () => {
    const { root } = await start();
    for (let i = 0; i < 10; i += 1) expect((await root.post('/oauth/v2/token', null, { params: CREDENTIALS })).data.access_token).toBeDefined();
    const denied = await root.post('/oauth/v2/token', null, { params: CREDENTIALS });
    expect(denied.status).toBe(400);
    expect(denied.data).toEqual({
      error_description: 'You have made too many requests continuously. Please try again after some time.',
      error: 'Access Denied',
      status: 'failure',
    });
    const other = await start({ tokenRequestsPer10Min: 1, tokenThrottleStatus: 200 });
    await other.root.post('/oauth/v2/token', null, { params: CREDENTIALS });
    const second = await other.root.post('/oauth/v2/token', null, { params: CREDENTIALS });
    expect([second.status, second.data.error]).toEqual([200, 'Access Denied']);
  });
});

describe('CRM API authentication', () => {
  it('answers 401 AUTHENTICATION_FAILURE without a header and INVALID_TOKEN for a wrong scheme or token', async () => {
    const { sim, root } = await start();
    const none = await root.get('/crm/v8/Contacts', { params: { fields: 'Last_Name' } });
    expect([none.status, none.data]).toEqual([401, { code: 'AUTHENTICATION_FAILURE', details: {}, message: 'Authentication failed', status: 'error' }]);
    const token = await fetchToken(root);
    const bearer = await root.get('/crm/v8/Contacts', { params: { fields: 'Last_Name' }, headers: { Authorization: `Bearer ${token}` } });
    expect([bearer.status, bearer.data]).toEqual([401, { code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' }]);
    const unknown = await apiClient(sim.url, '1000.nope.nope').get('/Contacts', { params: { fields: 'Last_Name' } });
    expect(unknown.status).toBe(401);
    expect((await apiClient(sim.url, token).get('/Contacts', { params: { fields: 'Last_Name' } })).status).toBe(204);
    expect((await root.get('/_sim/stats')).data.status['401']).toBe(3);
  });

  it('expires access tokens after their TTL (1 s here) with 401 INVALID_TOKEN', async () => {
    const { sim, root } = await start({ accessTokenTtlSeconds: 1 });
    const issued = await root.post('/oauth/v2/token', null, { params: CREDENTIALS });
    expect(issued.data.expires_in).toBe(1);
    const api = apiClient(sim.url, String(issued.data.access_token));
    expect((await api.get('/Contacts', { params: { fields: 'Last_Name' } })).status).toBe(204);
    const started = Date.now();
    let res = await api.get('/Contacts', { params: { fields: 'Last_Name' } });
    while (res.status !== 401 && Date.now() - started < 5000) {
      await new Promise((r) => setTimeout(r, 50));
      res = await api.get('/Contacts', { params: { fields: 'Last_Name' } });
    }
    expect(res.status).toBe(401);
    expect(res.data).toEqual({ code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });

  it('invalidates the oldest access token when a 16th is minted', async () => {
    const { sim, root } = await start({ tokenRequestsPer10Min: 100 });
    const tokens: string[] = [];
    for (let i = 0; i < 16; i += 1) tokens.push(await fetchToken(root));
    expect((await apiClient(sim.url, tokens[0] ?? '').get('/Contacts', { params: { fields: 'Last_Name' } })).status).toBe(401);
    expect((await apiClient(sim.url, tokens[1] ?? '').get('/Contacts', { params: { fields: 'Last_Name' } })).status).toBe(204);
  });
});

describe('API limits', () => {
  it('answers 429 TOO_MANY_REQUESTS beyond the concurrent requests per token', async () => {
    const { sim, root } = await start({ maxConcurrentPerToken: 3 });
    const api = apiClient(sim.url, await fetchToken(root));
    await root.post('/_sim/faults', { latencyMs: 300 });
    const results = await Promise.all(Array.from({ length: 6 }, () => api.get('/Contacts', { params: { fields: 'Last_Name' } })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);
    expect(statuses.filter((s) => s === 204)).toHaveLength(3);
    const limited = results.find((r) => r.status === 429);
    expect(limited?.data).toEqual({
      code: 'TOO_MANY_REQUESTS',
      details: {},
      message: 'Number of API requests for the 24 hour period is exceeded or the concurrency limit of the user for the app is exceeded',
      status: 'error',
    });
    expect(limited?.headers['retry-after']).toBeUndefined();
    await root.delete('/_sim/faults');
    // Once the slow calls have finished, their slots are free again.
    expect((await api.get('/Contacts', { params: { fields: 'Last_Name' } })).status).toBe(204);
  });

  it('spends daily credits (1 per 10 written records) and answers 429 when they run out', async () => {
    const { sim, root } = await start({ dailyCredits: 4, rateLimitCode: 'RATE_LIMIT_EXCEEDED' });
    const api = apiClient(sim.url, await fetchToken(root));
    const batch = Array.from({ length: 20 }, (_, i) => ({ Last_Name: `L${i}` }));
    const first = await api.post('/Contacts', { data: batch });
    expect(first.status).toBe(201);
    expect(first.headers['x-api-credits-remaining']).toBe('2');
    expect((await api.get('/Contacts', { params: { fields: 'Last_Name' } })).status).toBe(200);
    expect((await api.get('/Contacts', { params: { fields: 'Last_Name' } })).status).toBe(200);
    const out = await api.get('/Contacts', { params: { fields: 'Last_Name' } });
    expect(out.status).toBe(429);
    expect(out.data).toEqual({ code: 'RATE_LIMIT_EXCEEDED', details: {}, message: 'Too many requests. Please try again later.', status: 'error' });
    expect((await root.get('/_sim/stats')).data.status['429']).toBe(1);
  });
});
