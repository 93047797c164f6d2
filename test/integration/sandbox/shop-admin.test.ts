import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createShopSimulator } from '../../../src/sandbox/shop';
import { amqpUrl } from '../../support/amqp';
import { shopClient, type ShopRecord } from '../../support/shop-admin';
import { startShopKit, type ShopKit } from '../../support/shop-kit';

let kit: ShopKit;
let shop: ReturnType<typeof shopClient>;

beforeAll(async () => {
  kit = await startShopKit();
  shop = shopClient(kit.sim.url);
});
afterAll(() => kit.close());
beforeEach(() => shop.reset());

describe('/_sim admin routes in the shapes outside tools rely on', () => {
  test('POST /_sim/ui/{collection} answers the created record with its id; PATCH answers the record; DELETE 204', async () => {
    const business = await shop.call<ShopRecord>('POST', '/_sim/ui/businesses', { name: 'Initech', domain: 'initech.example' });
    expect(business).toEqual({ id: '200001', name: 'Initech', domain: 'initech.example', version: 1, created_at: expect.any(String), updated_at: business.created_at, external_ids: {}, deleted_at: null });
    const user = await shop.create('users', { email: 'peter@initech.example', first_name: 'Peter', last_name: 'Gibbons', business_id: business.id });
    expect(user).toMatchObject({ id: '100001', business_id: business.id });
    const purchase = await shop.create('purchases', { user_id: user.id, business_id: business.id, currency: 'USD', status: 'pending', lines: [{ sku: 'TPS', name: 'TPS report cover', quantity: 4, unit_price_minor: 250 }] });
    expect(purchase).toMatchObject({ id: '300001', total_minor: 1000, lines: [{ sku: 'TPS', name: 'TPS report cover', quantity: 4, unit_price_minor: 250, total_minor: 1000 }] });
    expect(await shop.update('purchases', purchase.id, { lines: [{ sku: 'TPS', name: 'TPS report cover', quantity: 5, unit_price_minor: 250 }] })).toMatchObject({ total_minor: 1250, version: 2 });
    expect(await shop.update('businesses', business.id, { name: 'Initrode' })).toMatchObject({ id: business.id, name: 'Initrode', version: 2 });
    expect((await shop.raw('DELETE', `/_sim/ui/businesses/${business.id}`)).status).toBe(204);
    expect((await shop.raw('DELETE', `/_sim/ui/purchases/${purchase.id}`)).status).toBe(204);
    expect((await shop.records('purchases'))[0]).toMatchObject({ status: 'cancelled', business_id: business.id, deleted_at: null });
    // Its users stay, without a business.
    expect((await shop.records('users'))[0]).toMatchObject({ id: user.id, business_id: null, version: 2 });
    expect((await shop.records('businesses'))[0]?.deleted_at).toEqual(expect.any(String));
  });

  test('the shop refuses what a real one would: duplicate email or domain (409), unknown references (404), bad input (400)', async () => {
    await shop.create('users', { email: 'a@example.com' });
    expect((await shop.raw('POST', '/_sim/ui/users', { email: 'A@example.com' })).status).toBe(409);
    expect((await shop.raw('POST', '/_sim/ui/users', { email: 'b@example.com', business_id: '4242' })).status).toBe(404);
    expect((await shop.raw('POST', '/_sim/ui/users', { email: 'nope' })).status).toBe(400);
    expect((await shop.raw('POST', '/_sim/ui/users', { email: 'c@example.com', nickname: 'x' })).status).toBe(400);
    await shop.create('businesses', { name: 'X', domain: 'x.example' });
    expect((await shop.raw('POST', '/_sim/ui/businesses', { name: 'Y', domain: 'X.example' })).status).toBe(409);
    expect((await shop.raw('POST', '/_sim/ui/purchases', { user_id: '100001', currency: 'euro', status: 'paid', lines: [] })).status).toBe(400);
    expect((await shop.raw('POST', '/_sim/ui/purchases', { user_id: '100001', currency: 'EUR', status: 'shipped', lines: [{ sku: 'a', name: 'a', quantity: 1, unit_price_minor: 1 }] })).status).toBe(400);
    expect((await shop.raw('PATCH', '/_sim/ui/users/999', { first_name: 'x' })).status).toBe(404);
  });

  test('seed is deterministic: purchases with line items on seeded users, businesses with domains; no events', async () => {
    const other = await createShopSimulator({ port: 0, amqpUrl: amqpUrl(), namePrefix: `${kit.names.eventsExchange}.other.` });
    try {
      const otherShop = shopClient(other.url);
      const request = { businesses: 5, users: 20, purchases: 30, seed: 42 };
      expect(await shop.seed(request)).toEqual({ businesses: 5, users: 20, purchases: 30 });
      await otherShop.seed(request);
      for (const collection of ['users', 'businesses', 'purchases']) expect(await shop.records(collection)).toEqual(await otherShop.records(collection));
      const users = await shop.records('users');
      const purchases = await shop.records('purchases');
      expect(new Set(users.map((u) => u.email)).size).toBe(20);
      expect(users.filter((u) => u.business_id !== null).length).toBeGreaterThan(5);
      for (const p of purchases) {
        const lines = p.lines as Array<{ total_minor: number }>;
        expect(lines.length).toBeGreaterThan(0);
        expect(p.total_minor).toBe(lines.reduce((sum, l) => sum + l.total_minor, 0));
        expect(users.some((u) => u.id === p.user_id)).toBe(true);
        expect(p.currency).toMatch(/^[A-Z]{3}$/);
      }
      await kit.drain();
      expect((await shop.stats()).events.published).toBe(0);
    } finally {
      await other.close();
    }
  });

  test('with a snapshot file, records and id sequences outlive a restart (seeded ones too)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shop-snapshot-'));
    const start = () => createShopSimulator({ port: 0, amqpUrl: amqpUrl(), namePrefix: `${kit.names.eventsExchange}.snap.`, snapshotFile: join(dir, 'shop.json') });
    try {
      const first = await start();
      const before = shopClient(first.url);
      await before.seed({ businesses: 1, users: 2, purchases: 1, seed: 7 });
      const ada = await before.create('users', { email: 'ada.snapshot@example.com' });
      await before.update('users', ada.id, { last_name: 'Lovelace' });
      const records = { users: await before.records('users'), businesses: await before.records('businesses'), purchases: await before.records('purchases') };
      await first.close();

      const second = await start();
      try {
        const after = shopClient(second.url);
        for (const [collection, rows] of Object.entries(records)) expect(await after.records(collection)).toEqual(rows);
        const next = await after.create('users', { email: 'grace.snapshot@example.com' });
        expect(records.users.map((user) => user.id)).not.toContain(next.id);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('stats count read-API requests by route and messaging; reset clears records, ids and stats', async () => {
    await shop.create('users', { email: 'a@example.com' });
    await shop.call('GET', '/api/v1/users/100001');
    await shop.call('GET', '/api/v1/users?limit=5');
    await kit.drain();
    const stats = await shop.stats();
    expect(stats.requests).toEqual({ total: 2, byRoute: { 'GET /api/v1/:collection/:id': 1, 'GET /api/v1/:collection': 1 } });
    expect(stats).toMatchObject({ writes: 0, events: { published: 1 }, commands: { received: 0 }, replies: { sent: 0 } });
    expect(await shop.call('GET', '/_sim/faults')).toMatchObject({ errorRate: 0, eventReorder: false, replyDropRate: 0 });
    await shop.reset();
    expect(await shop.records('users')).toEqual([]);
    expect((await shop.stats()).requests.total).toBe(0);
    expect(await shop.create('users', { email: 'again@example.com' })).toMatchObject({ id: '100001' });
  });
});
