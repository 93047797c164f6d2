import { DEFAULT_SYNC_RULES } from '../../../src/domain/schema/sync-rules';
import { createHubspotConnector } from '../../../src/connectors/hubspot/connector';
import { hubspotTokenExchange } from '../../../src/connectors/hubspot/token-exchange';
import { createTokenProvider, type TokenProvider } from '../../../src/connectors/oauth/token-provider';
import { createZohoConnector } from '../../../src/connectors/zoho/connector';
import { zohoTokenExchange } from '../../../src/connectors/zoho/token-exchange';
import { createHubspotSimulator, type HubspotSimulator } from '../../../src/sandbox/hubspot';
import { createZohoSimulator, type ZohoSimulator } from '../../../src/sandbox/zoho';
import { openStore, type SyncStore } from '../../../src/store';
import { simAdmin } from './harness';

const HUBSPOT = { clientId: 'cid', clientSecret: 'secret', refreshToken: 'hs-refresh' };
const ZOHO = { clientId: 'zcid', clientSecret: 'zsecret', refreshToken: 'zoho-refresh' };
/** Short-lived tokens; the tests move a fake clock instead of waiting for them to age. */
const TTL_SECONDS = 120;
const SKEW_MS = 30_000;

/** Token rows are per system, so each test gets a store nobody else has written to. */
async function freshStore(stores: SyncStore[]): Promise<SyncStore> {
  const store = await openStore({});
  stores.push(store);
  return store;
}

describe('OAuth token provider against the simulators', () => {
  let hubspotSim: HubspotSimulator;
  let zohoSim: ZohoSimulator;
  const stores: SyncStore[] = [];
  let clock = Date.now();
  const now = (): number => clock;

  beforeAll(async () => {
    [hubspotSim, zohoSim] = await Promise.all([
      createHubspotSimulator({ port: 0, ...HUBSPOT, accessTokenTtlSeconds: TTL_SECONDS }),
      createZohoSimulator({ port: 0, ...ZOHO, accessTokenTtlSeconds: TTL_SECONDS }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([hubspotSim.close(), zohoSim.close(), ...stores.map((s) => s.close())]);
  });

  const hubspotTokens = (store: SyncStore, refreshTokenFromConfig = HUBSPOT.refreshToken): TokenProvider =>
    createTokenProvider({
      system: 'hubspot',
      store,
      refreshTokenFromConfig,
      exchange: hubspotTokenExchange({ basePath: hubspotSim.url, ...HUBSPOT }),
      refreshSkewMs: SKEW_MS,
      now,
    });

  it('refreshes a HubSpot token before it expires, once for ten concurrent calls', async () => {
    const store = await freshStore(stores);
    const hubspot = createHubspotConnector({ rules: DEFAULT_SYNC_RULES, basePath: hubspotSim.url, tokens: hubspotTokens(store) });
    const admin = simAdmin(hubspotSim.url);
    const start = await admin.stats();

    await Promise.all(Array.from({ length: 10 }, () => hubspot.get('contact', '1')));
    expect((await admin.stats()).tokensIssued - start.tokensIssued).toBe(1);
    const first = await store.getToken('hubspot');

    // Still valid for the simulator, but inside the refresh margin for us.
    clock += (TTL_SECONDS * 1000 - SKEW_MS) + 1;
    await Promise.all(Array.from({ length: 10 }, () => hubspot.get('contact', '1')));
    const after = await admin.stats();
    expect(after.tokensIssued - start.tokensIssued).toBe(2);
    expect(after.status['401'] - start.status['401']).toBe(0);
    expect((await store.getToken('hubspot'))?.accessToken).not.toBe(first?.accessToken);
  });

  it('refreshes a Zoho token before it expires, once for ten concurrent calls', async () => {
    const store = await freshStore(stores);
    const tokens = createTokenProvider({
      system: 'zoho',
      store,
      refreshTokenFromConfig: ZOHO.refreshToken,
      exchange: zohoTokenExchange({ accountsUrl: zohoSim.url, ...ZOHO }),
      refreshSkewMs: SKEW_MS,
      now,
    });
    const zoho = createZohoConnector({ rules: DEFAULT_SYNC_RULES, apiBaseUrl: zohoSim.url, tokens });
    const admin = simAdmin(zohoSim.url);
    const start = await admin.stats();
    await Promise.all(Array.from({ length: 10 }, () => zoho.get('contact', '1')));
    clock += TTL_SECONDS * 1000;
    await Promise.all(Array.from({ length: 10 }, () => zoho.get('contact', '1')));
    expect((await admin.stats()).tokensIssued - start.tokensIssued).toBe(2);
  });

  it('refreshes once across "processes" sharing the store, and reuses the stored token', async () => {
    const store = await freshStore(stores);
    const admin = simAdmin(hubspotSim.url);
    const start = await admin.stats();
    const [a, b] = [hubspotTokens(store), hubspotTokens(store)];
    const [tokenA, tokenB] = await Promise.all([a.getAccessToken(), b.getAccessToken()]);
    expect(tokenA).toBe(tokenB);
    // A third instance (a restarted worker) starts from the stored token.
    expect(await hubspotTokens(store).getAccessToken()).toBe(tokenA);
    expect((await admin.stats()).tokensIssued - start.tokensIssued).toBe(1);
  });

  it('forced refreshes of the same rejected token collapse into one exchange', async () => {
    const store = await freshStore(stores);
    const admin = simAdmin(hubspotSim.url);
    const [a, b] = [hubspotTokens(store), hubspotTokens(store)];
    const rejected = await a.getAccessToken();
    const start = await admin.stats();
    const fresh = await Promise.all([a.forceRefresh(rejected), a.forceRefresh(rejected), b.forceRefresh(rejected)]);
    expect(new Set(fresh).size).toBe(1);
    expect(fresh[0]).not.toBe(rejected);
    expect((await admin.stats()).tokensIssued - start.tokensIssued).toBe(1);
  });

  it('falls back to the configured refresh token when the stored one is refused', async () => {
    // An operator re-authorised the app: the stored refresh token is revoked, the configured one works.
    const store = await freshStore(stores);
    await store.withTokenLock('hubspot', () => Promise.resolve({ system: 'hubspot' as const, accessToken: 'stale', refreshToken: 'revoked', expiresAt: 0 }));
    const recovered = await hubspotTokens(store).getAccessToken();
    expect(recovered).not.toBe('stale');
    expect((await store.getToken('hubspot'))?.refreshToken).toBe(HUBSPOT.refreshToken);
  });

  it('keeps the refresh token HubSpot rotates', async () => {
    // Its own simulator: rotation invalidates the configured refresh token for everyone else.
    const rotating = await createHubspotSimulator({ port: 0, ...HUBSPOT, rotateRefreshToken: true });
    try {
      const store = await freshStore(stores);
      const tokens = createTokenProvider({
        system: 'hubspot',
        store,
        refreshTokenFromConfig: HUBSPOT.refreshToken,
        exchange: hubspotTokenExchange({ basePath: rotating.url, ...HUBSPOT }),
      });
      const first = await tokens.getAccessToken();
      const rotated = (await store.getToken('hubspot'))?.refreshToken;
      expect(rotated).toBeDefined();
      expect(rotated).not.toBe(HUBSPOT.refreshToken);
      // The simulator no longer accepts the configured token: this refresh only works with the rotated one.
      const second = await tokens.forceRefresh(first);
      expect(second).not.toBe(first);
      expect((await store.getToken('hubspot'))?.refreshToken).not.toBe(rotated);
    } finally {
      await rotating.close();
    }
  });
});
