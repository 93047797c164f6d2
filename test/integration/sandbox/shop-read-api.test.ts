import { shopClient, type ShopRecord } from '../../support/shop-admin';
import { startShopKit, upsertCommand, type ShopKit } from '../../support/shop-kit';

interface Page {
  results: ShopRecord[];
  next_after: string | null;
}

let kit: ShopKit;
let shop: ReturnType<typeof shopClient>;

beforeAll(async () => {
  kit = await startShopKit();
  shop = shopClient(kit.sim.url);
});
afterAll(() => kit.close());
beforeEach(() => shop.reset());

/** Every page of a listing, following next_after. */
async function all(collection: string, query: Record<string, string>, limit = 7): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const params = new URLSearchParams({ ...query, limit: String(limit), ...(after ? { after } : {}) });
    const page: Page = await shop.call<Page>('GET', `/api/v1/${collection}?${params.toString()}`);
    ids.push(...page.results.map((r) => r.id));
    after = page.next_after;
    pages += 1;
  } while (after !== null);
  return { ids, pages };
}

describe('read API', () => {
  test('needs the API key', async () => {
    expect((await shop.raw('GET', '/api/v1/users', undefined, {})).status).toBe(401);
    expect((await shop.raw('GET', '/api/v1/users', undefined, { authorization: 'Bearer wrong' })).status).toBe(401);
  });

  test('get by id, batch get (missing ids listed), deleted records answer 404', async () => {
    await shop.seed({ businesses: 3, users: 5, seed: 1 });
    const users = await shop.records('users');
    const [a, b] = users;
    expect(await shop.call('GET', `/api/v1/users/${a?.id}`)).toEqual(expect.objectContaining({ id: a?.id, email: a?.email, external_ids: {} }));
    await shop.remove('users', b?.id ?? '');
    expect((await shop.raw('GET', `/api/v1/users/${b?.id}`)).status).toBe(404);
    const batch = await shop.call<{ results: ShopRecord[]; missing: string[] }>('POST', '/api/v1/users/batch-get', { ids: [a?.id, b?.id, '999999'] });
    expect(batch.results.map((r) => r.id)).toEqual([a?.id]);
    expect(batch.missing).toEqual([b?.id, '999999']);
    expect((await shop.raw('POST', '/api/v1/users/batch-get', { ids: Array.from({ length: 101 }, (_v, i) => String(i + 1)) })).status).toBe(400);
  });

  test('keyset pages by id, with id range and created/updated bounds; filters by email, domain and CRM id', async () => {
    await shop.seed({ businesses: 4, users: 30, purchases: 20, seed: 9 });
    const users = await shop.records('users');
    const ids = users.map((u) => u.id);
    const full = await all('users', {});
    expect(full).toEqual({ ids, pages: 5 });
    expect(ids.map(Number)).toEqual([...ids.map(Number)].sort((x, y) => x - y));

    const range = await all('users', { id_from: ids[5] ?? '', id_to: ids[14] ?? '' });
    expect(range.ids).toEqual(ids.slice(5, 15));

    const cut = users[10]?.created_at ?? '';
    expect((await all('users', { created_before: cut })).ids).toEqual(ids.slice(0, 10));
    expect((await all('users', { created_after: cut })).ids).toEqual(ids.slice(10));

    const mark = new Date().toISOString();
    await shop.update('users', ids[3] ?? '', { first_name: 'Changed' });
    await shop.update('users', ids[20] ?? '', { first_name: 'Changed' });
    expect((await all('users', { updated_after: mark })).ids).toEqual([ids[3], ids[20]]);
    expect((await all('users', { updated_before: mark, id_to: ids[4] ?? '' })).ids).toEqual([ids[0], ids[1], ids[2], ids[4]]);

    expect((await all('users', { email: String(users[7]?.email).toUpperCase() })).ids).toEqual([ids[7]]);
    const businesses = await shop.records('businesses');
    expect((await all('businesses', { domain: String(businesses[2]?.domain) })).ids).toEqual([businesses[2]?.id]);

    await kit.send('user.upsert', upsertCommand('user.upsert', { shop_id: ids[12], external_ids: { hubspot: '4242' }, attributes: { email: String(users[12]?.email) } }));
    await kit.replies.expect(1);
    expect((await all('users', { external_id: 'hubspot:4242' })).ids).toEqual([ids[12]]);

    const purchases = await all('purchases', {}, 100);
    expect(purchases.ids).toHaveLength(20);
    expect((await shop.raw('GET', '/api/v1/users?created_after=yesterday')).status).toBe(400);
    expect((await shop.raw('GET', '/api/v1/users?limit=501')).status).toBe(400);
  });
});
