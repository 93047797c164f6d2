import { shopClient, type ShopRecord } from '../../support/shop-admin';
import { startShopKit, upsertCommand, type ShopKit } from '../../support/shop-kit';

let kit: ShopKit;
let shop: ReturnType<typeof shopClient>;

beforeAll(async () => {
  kit = await startShopKit();
  shop = shopClient(kit.sim.url);
});
afterAll(() => kit.close());
beforeEach(async () => {
  await shop.reset();
  kit.events.clear();
  kit.replies.clear();
});

/** Takes the events a test's set-up made off the tap. */
async function skip(count: number): Promise<void> {
  await kit.events.expect(count);
  kit.events.clear();
}

/** The one event a change made, checked against the record it is about. */
async function oneEvent(type: string, record: ShopRecord, collection: string) {
  const [message] = await kit.events.expect(1);
  expect(message?.routingKey).toBe(type);
  expect(message?.event).toMatchObject({ specversion: '1.0', type, source: 'urn:shop:sandbox', subject: `${collection}/${record.id}`, data: { id: record.id, version: record.version, updated_at: record.updated_at } });
  expect(message?.messageId).toBe(message?.event.id);
  expect(message?.contentType).toBe('application/cloudevents+json');
  kit.events.clear();
}

describe('every /_sim/ui change publishes exactly one event through the broker', () => {
  test('businesses and users: created, updated, deleted; a change that changes nothing publishes nothing', async () => {
    const business = await shop.create('businesses', { name: 'Acme GmbH', domain: 'Acme.example' });
    expect(business).toMatchObject({ id: expect.stringMatching(/^[1-9]\d*$/), name: 'Acme GmbH', domain: 'acme.example', version: 1, external_ids: {} });
    await oneEvent('business.created', business, 'businesses');

    const user = await shop.create('users', { email: 'Ada@Acme.example', first_name: 'Ada', last_name: 'Lovelace', business_id: business.id });
    expect(user).toMatchObject({ email: 'ada@acme.example', business_id: business.id, version: 1 });
    await oneEvent('user.created', user, 'users');

    const renamed = await shop.update('users', user.id, { last_name: 'King' });
    expect(renamed).toMatchObject({ id: user.id, last_name: 'King', version: 2 });
    await oneEvent('user.updated', renamed, 'users');

    await shop.update('users', user.id, { last_name: 'King' });
    await kit.drain();
    await kit.events.expect(0);

    const moved = await shop.update('businesses', business.id, { domain: 'acme.example.org' });
    await oneEvent('business.updated', moved, 'businesses');

    const other = await shop.create('users', { email: 'grace@example.com', first_name: 'Grace', last_name: 'Hopper' });
    await skip(1);
    await shop.remove('users', other.id);
    const [deleted] = await kit.events.expect(1);
    expect(deleted?.event).toMatchObject({ type: 'user.deleted', data: { id: other.id, version: 2 } });
    const records = await shop.records('users');
    expect(records.find((r) => r.id === other.id)?.deleted_at).toEqual(expect.any(String));
  });

  test('purchases: created with a total, updated, refunded (explicitly), cancelled by DELETE', async () => {
    const user = await shop.create('users', { email: 'buyer@example.com', first_name: 'B', last_name: 'Uyer' });
    await skip(1);
    const purchase = await shop.create('purchases', {
      user_id: user.id,
      currency: 'EUR',
      status: 'paid',
      lines: [
        { sku: 'SKU-1', name: 'Widget', quantity: 3, unit_price_minor: 1250 },
        { sku: 'SKU-2', name: 'Gadget', quantity: 1, unit_price_minor: 999 },
      ],
    });
    expect(purchase).toMatchObject({ user_id: user.id, business_id: null, currency: 'EUR', status: 'paid', total_minor: 4749, refunded_minor: 0, version: 1 });
    expect((purchase.lines as Array<{ total_minor: number }>).map((l) => l.total_minor)).toEqual([3750, 999]);
    await oneEvent('purchase.created', purchase, 'purchases');

    await oneEvent('purchase.updated', await shop.update('purchases', purchase.id, { status: 'fulfilled' }), 'purchases');
    const partly = await shop.update('purchases', purchase.id, { refunded_minor: 999 });
    expect(partly).toMatchObject({ status: 'fulfilled', refunded_minor: 999 });
    await oneEvent('purchase.refunded', partly, 'purchases');
    const refunded = await shop.update('purchases', purchase.id, { status: 'refunded' });
    expect(refunded).toMatchObject({ status: 'refunded', refunded_minor: 4749 });
    await oneEvent('purchase.refunded', refunded, 'purchases');

    const second = await shop.create('purchases', { user_id: user.id, currency: 'USD', status: 'pending', lines: [{ sku: 'S', name: 'S', quantity: 1, unit_price_minor: 100 }] });
    await skip(1);
    await shop.remove('purchases', second.id);
    const [cancelled] = await kit.events.expect(1);
    expect(cancelled?.event).toMatchObject({ type: 'purchase.cancelled', data: { id: second.id, version: 2 } });
    const bad = await shop.raw('POST', '/_sim/ui/purchases', { user_id: user.id, currency: 'EUR', status: 'paid', lines: [{ sku: 'S', name: 'S', quantity: 1, unit_price_minor: 100 }], refunded_minor: 101 });
    expect(bad.status).toBe(400);
  });
});

describe('commands', () => {
  test('user.upsert is applied and answered with user.linked carrying the same correlation id; external_ids are kept', async () => {
    const command = upsertCommand('user.upsert', { external_ids: { hubspot: '1001', zoho: '5620001' }, attributes: { email: 'Linus@Example.com', first_name: 'Linus', last_name: 'T' } });
    await kit.send('user.upsert', command);
    const [reply] = await kit.replies.expect(1);
    const [created] = await kit.events.expect(1);
    const users = await shop.records('users');
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ email: 'linus@example.com', external_ids: { hubspot: '1001', zoho: '5620001' } });
    expect(reply?.routingKey).toBe('user.linked');
    expect(reply?.correlationId).toBe(command.correlationid);
    expect(reply?.event).toMatchObject({ type: 'user.linked', correlationid: command.correlationid, subject: `users/${users[0]?.id}`, data: { id: users[0]?.id, created: true, version: 1 } });
    expect(created?.event).toMatchObject({ type: 'user.created', data: { id: users[0]?.id } });

    // Sent again (a reply crm-sync never saw): matched by the CRM id, linked to the same user, nothing duplicated.
    kit.replies.clear();
    await kit.send('user.upsert', { ...command, id: 'again' });
    const [again] = await kit.replies.expect(1);
    expect(again?.event.data).toMatchObject({ id: users[0]?.id, created: false, version: 1 });
    expect(await shop.records('users')).toHaveLength(1);
  });

  test('business.upsert matches by domain, adds the CRM id and publishes business.updated; a broken command is rejected', async () => {
    const business = await shop.create('businesses', { name: 'Globex', domain: 'globex.example' });
    await skip(1);
    await kit.send('business.upsert', upsertCommand('business.upsert', { external_ids: { hubspot: '5000001' }, attributes: { name: 'Globex', domain: 'globex.example' } }, 'corr-b'));
    const [linked] = await kit.replies.expect(1);
    expect(linked?.event).toMatchObject({ type: 'business.linked', correlationid: 'corr-b', data: { id: business.id, created: false, version: 2, external_ids: { hubspot: '5000001' } } });
    const [updated] = await kit.events.expect(1);
    expect(updated?.event).toMatchObject({ type: 'business.updated', data: { id: business.id, version: 2 } });

    kit.replies.clear();
    await kit.send('user.upsert', upsertCommand('user.upsert', { external_ids: {}, attributes: { email: 'not-an-email' } }, 'corr-bad'));
    const [rejected] = await kit.replies.expect(1);
    expect(rejected?.event).toMatchObject({ type: 'user.rejected', correlationid: 'corr-bad' });
    expect((rejected?.event.data.errors as unknown[]).length).toBeGreaterThan(0);
    expect((await shop.stats()).commands).toEqual({ received: 2, applied: 1, rejected: 1 });
  });
});
