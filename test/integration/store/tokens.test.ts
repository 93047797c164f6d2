import { setTimeout as delay } from 'node:timers/promises';
import { openStore, type StoredToken, type SyncStore } from '../../../src/store';
import { describeEachBackend, type StoreBackend, type TestDatabase, useStore } from './backends';

/**
 * A refresher as a connector would write one: keep the current token while it is valid, otherwise "call the
 * token endpoint". The endpoint's latency is simulated so that unserialized callers would overlap; the counters
 * show whether they did.
 */
function makeRefresher(system: StoredToken['system']) {
  const stats = { refreshes: 0, inFlight: 0, maxInFlight: 0 };
  const refresh = async (current: StoredToken | null): Promise<StoredToken> => {
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    try {
      if (current !== null && current.expiresAt > Date.now() + 60_000) return current;
      await delay(25);
      stats.refreshes += 1;
      return { system, accessToken: `access-${stats.refreshes}`, refreshToken: 'refresh-1', expiresAt: Date.now() + 3_600_000 };
    } finally {
      stats.inFlight -= 1;
    }
  };
  return { stats, refresh };
}

describeEachBackend('oauth tokens', (backend) => {
  const store = useStore(backend);

  it('has no token until one is stored, then returns it as stored', async () => {
    expect(await store().getToken('zoho')).toBeNull();
    const token: StoredToken = { system: 'zoho', accessToken: 'a', refreshToken: 'r', expiresAt: 1_900_000_000_123 };
    await expect(store().withTokenLock('zoho', () => Promise.resolve(token))).resolves.toEqual(token);
    expect(await store().getToken('zoho')).toEqual(token);
    expect(await store().withTokenLock('zoho', (current) => Promise.resolve(current ?? token))).toEqual(token);
  });

  it('refreshes once for ten concurrent callers on first use (no row to lock yet)', async () => {
    const { stats, refresh } = makeRefresher('hubspot');
    const results = await Promise.all(Array.from({ length: 10 }, () => store().withTokenLock('hubspot', refresh)));
    expect(stats).toEqual({ refreshes: 1, inFlight: 0, maxInFlight: 1 });
    expect(new Set(results.map((token) => token.accessToken))).toEqual(new Set(['access-1']));
    expect((await store().getToken('hubspot'))?.accessToken).toBe('access-1');
  });

  it('refreshes an expired token once for ten concurrent callers', async () => {
    await expireToken(store(), 'hubspot');
    const { stats, refresh } = makeRefresher('hubspot');
    const results = await Promise.all(Array.from({ length: 10 }, () => store().withTokenLock('hubspot', refresh)));
    expect(stats).toEqual({ refreshes: 1, inFlight: 0, maxInFlight: 1 });
    expect(new Set(results.map((token) => token.accessToken))).toEqual(new Set(['access-1']));
  });

  it('keeps the old token when refresh fails, and releases the lock', async () => {
    const before = await store().getToken('hubspot');
    await expect(store().withTokenLock('hubspot', () => Promise.reject(new Error('invalid_grant')))).rejects.toThrow(
      'invalid_grant',
    );
    expect(await store().getToken('hubspot')).toEqual(before);
    await expect(store().withTokenLock('hubspot', (current) => Promise.resolve(current ?? fail()))).resolves.toEqual(before);
  });

  it('rejects a refresh that returns the other system’s token', async () => {
    const wrong: StoredToken = { system: 'zoho', accessToken: 'x', refreshToken: 'y', expiresAt: 1 };
    await expect(store().withTokenLock('hubspot', () => Promise.resolve(wrong))).rejects.toThrow(/returned a zoho token/);
  });

  it('fails fast instead of deadlocking when refresh calls back into the store', async () => {
    const reentrant = store().withTokenLock('hubspot', async () => {
      const token = await store().getToken('hubspot');
      return token ?? fail();
    });
    await expect(reentrant).rejects.toThrow(/inside one of its own transactions/);
    const keep = (current: StoredToken | null): Promise<StoredToken> => Promise.resolve(current ?? fail());
    const nested = store().withTokenLock('hubspot', () => store().withTokenLock('hubspot', keep));
    await expect(nested).rejects.toThrow(/inside one of its own transactions/);
    // The lock was released: a normal call still goes through.
    await expect(store().withTokenLock('hubspot', (current) => Promise.resolve(current ?? fail()))).resolves.toBeTruthy();
  });

  if (backend.name === 'postgres') twoProcessSuite(backend);
});

async function expireToken(store: SyncStore, system: StoredToken['system']): Promise<void> {
  await store.withTokenLock(system, (current) => Promise.resolve({ ...(current ?? fail()), expiresAt: 0 }));
}

function fail(): never {
  throw new Error('expected a stored token');
}

/** Two separately opened stores (two pools, as two worker processes would have) on one database. */
function twoProcessSuite(backend: StoreBackend): void {
  describe('across two stores on one database', () => {
    let database: TestDatabase | undefined;
    const stores: SyncStore[] = [];
    beforeAll(async () => {
      database = await backend.createDatabase();
      stores.push(await openStore(database.options), await openStore(database.options));
    });
    afterAll(async () => {
      await Promise.all(stores.map((store) => store.close()));
      await database?.dispose();
    });

    /** Ten callers split over both stores; the refresher counts calls to the "token endpoint". */
    async function refreshFromBothStores(): Promise<{ refreshes: number; maxInFlight: number; tokens: Set<string> }> {
      const { stats, refresh } = makeRefresher('zoho');
      const calls = Array.from({ length: 10 }, (_, i) => stores[i % 2]?.withTokenLock('zoho', refresh) ?? fail());
      const results = await Promise.all(calls);
      return { ...stats, tokens: new Set(results.map((token) => token.accessToken)) };
    }

    it('serializes the first refresh, before any row exists', async () => {
      expect(await refreshFromBothStores()).toMatchObject({ refreshes: 1, maxInFlight: 1, tokens: new Set(['access-1']) });
      expect((await stores[0]?.getToken('zoho'))?.accessToken).toBe('access-1');
      expect((await stores[1]?.getToken('zoho'))?.accessToken).toBe('access-1');
    });

    it('serializes refreshing an expired token: exactly one refresh, everyone gets its result', async () => {
      await expireToken(stores[0] ?? fail(), 'zoho');
      expect(await refreshFromBothStores()).toMatchObject({ refreshes: 1, maxInFlight: 1, tokens: new Set(['access-1']) });
      expect((await stores[1]?.getToken('zoho'))?.expiresAt).toBeGreaterThan(Date.now());
    });
  });
}
