import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthError, PermanentCrmError, RateLimitedError, TransientCrmError, ValidationError, WrittenByCommandError } from '../../../src/connectors/errors';
import { shopUpsertCommand } from '../../../src/connectors/shop/commands';
import { createShopConnector, type ShopConnector } from '../../../src/connectors/shop/connector';
import type { CrmCallObserver } from '../../../src/connectors/types';
import type { RecordSnapshot } from '../../../src/domain/records';
import { DEFAULT_SYNC_RULES } from '../../../src/domain/schema/sync-rules';
import { shopClient } from '../../support/shop-admin';
import { startShopKit, type ShopKit } from '../../support/shop-kit';

const rules = DEFAULT_SYNC_RULES;
const API_KEY = 'sandbox-shop-key';

let kit: ShopKit;
let shop: ReturnType<typeof shopClient>;
let connector: ShopConnector;
const calls: Parameters<CrmCallObserver['onCall']>[0][] = [];
const observer: CrmCallObserver = { onCall: (event) => calls.push(event), onTokenRefresh: () => undefined };

beforeAll(async () => {
  kit = await startShopKit();
  shop = shopClient(kit.sim.url);
  connector = createShopConnector({ rules, apiUrl: kit.sim.url, apiKey: API_KEY, observer, timeoutMs: 1500 });
});
afterAll(() => kit.close());
beforeEach(async () => {
  await shop.reset();
  kit.replies.clear();
  calls.splice(0);
});

const ids = (records: RecordSnapshot[]): string[] => records.map((record) => record.ref.id);
const line = (quantity: number, unit_price_minor: number) => ({ sku: `sku-${unit_price_minor}`, name: 'Widget', quantity, unit_price_minor });

/** Every page of a listing, following the connector's cursor. */
async function listAll(request: Parameters<ShopConnector['listPage']>[1]): Promise<{ ids: string[]; cursors: string[] }> {
  const out: { ids: string[]; cursors: string[] } = { ids: [], cursors: [] };
  let cursor: string | undefined;
  do {
    const page = await connector.listPage('contact', { ...request, ...(cursor === undefined ? {} : { cursor }) });
    out.ids.push(...ids(page.records));
    cursor = page.nextCursor;
    if (cursor !== undefined) out.cursors.push(cursor);
  } while (cursor !== undefined);
  return out;
}

describe('shop connector reads', () => {
  test('get maps users and businesses to snapshots; deleted and unknown records are null', async () => {
    const business = await shop.create('businesses', { name: 'Acme GmbH', domain: 'Acme.example' });
    const user = await shop.create('users', { email: 'Ada@Example.com', first_name: 'Ada', last_name: 'Lovelace', business_id: business.id });

    expect(await connector.get('contact', user.id)).toEqual({
      ref: { system: 'shop', object: 'contact', id: user.id },
      version: '1',
      modifiedAt: Date.parse(user.updated_at),
      fields: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
      companyId: business.id,
      crossRefs: {},
    });
    expect(await connector.get('company', business.id)).toEqual({
      ref: { system: 'shop', object: 'company', id: business.id },
      version: '1',
      modifiedAt: Date.parse(business.updated_at),
      fields: { name: 'Acme GmbH', domain: 'acme.example' },
      crossRefs: {},
    });

    await shop.update('users', user.id, { first_name: 'Augusta' });
    expect(await connector.get('contact', user.id)).toMatchObject({ version: '2', fields: { firstName: 'Augusta' } });

    await shop.remove('users', user.id);
    expect(await connector.get('contact', user.id)).toBeNull();
    expect(await connector.get('company', '999999')).toBeNull();
    expect(calls.every((call) => call.system === 'shop')).toBe(true);
    expect(calls.map((call) => call.status)).toEqual([200, 200, 200, 404, 404]);
  });

  test('purchases become deals: net amount in major units per currency, name, stage, close date, contact and company', async () => {
    const business = await shop.create('businesses', { name: 'Buyer Ltd' });
    const user = await shop.create('users', { email: 'buyer@example.com', business_id: business.id });
    const eur = await shop.create('purchases', { user_id: user.id, business_id: business.id, currency: 'EUR', status: 'paid', lines: [line(2, 1999), line(1, 500)], refunded_minor: 1000 });
    const jpy = await shop.create('purchases', { user_id: user.id, currency: 'JPY', status: 'pending', lines: [line(3, 1250)] });
    const bhd = await shop.create('purchases', { user_id: user.id, currency: 'BHD', status: 'fulfilled', lines: [line(1, 1250)] });

    expect(await connector.get('deal', eur.id)).toEqual({
      ref: { system: 'shop', object: 'deal', id: eur.id },
      version: '1',
      modifiedAt: Date.parse(eur.updated_at),
      fields: { name: `Purchase ${eur.id}`, amount: '34.98', currency: 'EUR', stage: 'closedwon', closeDate: eur.created_at },
      contactId: user.id,
      companyId: business.id,
      crossRefs: {},
    });
    expect(await connector.get('deal', jpy.id)).toMatchObject({ fields: { amount: '3750', currency: 'JPY', stage: 'contractsent' }, companyId: null });
    expect((await connector.get('deal', bhd.id))?.fields.amount).toBe('1.250');

    // a full refund: nothing kept, and the deal is lost
    await shop.update('purchases', eur.id, { status: 'refunded' });
    expect(await connector.get('deal', eur.id)).toMatchObject({ version: '2', fields: { amount: '0.00', stage: 'closedlost' } });
  });

  test('getMany reads by batches of 100 and leaves out deleted and unknown ids', async () => {
    await shop.seed({ businesses: 5, users: 150, seed: 3 });
    const users = await shop.records('users');
    const gone = users[10]?.id ?? '';
    await shop.remove('users', gone);
    calls.splice(0);

    const wanted = [...users.map((u) => u.id), '999999', users[0]?.id ?? ''];
    const found = await connector.getMany('contact', wanted);
    expect(ids(found)).toEqual(users.map((u) => u.id).filter((id) => id !== gone));
    expect(calls.map((call) => call.operation)).toEqual(['read contacts', 'read contacts']);
    expect(await connector.getMany('company', [])).toEqual([]);
  });

  test('listPage pages by id with an opaque cursor, within an id range and created and modified windows', async () => {
    await shop.seed({ businesses: 3, users: 30, seed: 9 });
    const users = await shop.records('users');
    const all = users.map((u) => u.id);

    const full = await listAll({ limit: 7 });
    expect(full.ids).toEqual(all);
    expect(full.cursors).toHaveLength(4);
    for (const cursor of full.cursors) expect(all).not.toContain(cursor);

    expect((await listAll({ limit: 4, idFrom: all[5], idTo: all[14] })).ids).toEqual(all.slice(5, 15));

    const cut = users[10]?.created_at ?? '';
    expect((await listAll({ limit: 100, createdBefore: cut })).ids).toEqual(all.slice(0, 10));
    expect((await listAll({ limit: 100, createdAfter: String(Date.parse(cut)) })).ids).toEqual(all.slice(10));

    const mark = new Date().toISOString();
    await shop.update('users', all[3] ?? '', { first_name: 'Changed' });
    await shop.update('users', all[20] ?? '', { first_name: 'Changed' });
    expect((await listAll({ limit: 100, modifiedAfter: mark })).ids).toEqual([all[3], all[20]]);
    expect((await listAll({ limit: 100, modifiedBefore: mark, idTo: all[4] })).ids).toEqual([all[0], all[1], all[2], all[4]]);

    const page = await connector.listPage('contact', { limit: 1 });
    expect(page.records[0]).toMatchObject({ ref: { id: all[0] }, fields: { email: users[0]?.email } });
  });

  test('count is an upper bound from an id range, otherwise unknown', async () => {
    expect(await connector.count('contact', {})).toBeNull();
    expect(await connector.count('contact', { modifiedAfter: '2025-01-01T00:00:00.000Z' })).toBeNull();
    expect(await connector.count('contact', { idFrom: '100001', idTo: '100250' })).toBe(250);
    expect(await connector.count('contact', { idFrom: '100250', idTo: '100001' })).toBe(0);
    expect(calls).toEqual([]);
  });

  test('findMatch goes by email for contacts and by domain for companies, never by name; deals never match', async () => {
    const older = await shop.create('businesses', { name: 'Same Name', domain: 'first.example' });
    await shop.create('businesses', { name: 'Same Name', domain: 'second.example' });
    const user = await shop.create('users', { email: 'grace@example.com', first_name: 'Grace' });

    expect((await connector.findMatch('contact', { email: ' Grace@Example.COM ' }))?.ref.id).toBe(user.id);
    expect(await connector.findMatch('contact', { email: 'race@example.com' })).toBeNull();
    expect((await connector.findMatch('company', { domain: 'https://www.First.example/about', name: 'Other' }))?.ref.id).toBe(older.id);
    expect(await connector.findMatch('company', { name: 'Same Name' })).toBeNull();
    expect(await connector.findMatch('deal', { name: 'Purchase 300001' })).toBeNull();

    calls.splice(0);
    const matches = await connector.findMatches('contact', [{ email: 'grace@example.com' }, { email: null }, { email: 'nobody@example.com' }, { email: 'GRACE@example.com' }]);
    expect(matches.map((m) => m?.ref.id ?? null)).toEqual([user.id, null, null, user.id]);
    expect(calls).toHaveLength(2);
  });
});

describe('shop commands', () => {
  /** Publishes the command as the broker side will (routing key = type) and waits for its one reply. */
  async function send(command: ReturnType<typeof shopUpsertCommand>) {
    kit.replies.clear();
    await kit.send(command.type, command);
    const [reply] = await kit.replies.expect(1);
    return reply;
  }

  test('business.upsert and user.upsert built from canonical fields are accepted, linked and found by CRM id', async () => {
    const companyCommand = shopUpsertCommand(rules, {
      object: 'company',
      shopId: null,
      fields: { name: 'Initech', domain: 'initech.example', phone: '+1 555 0100' },
      externalIds: { hubspot: '9001', zoho: '5620000000001' },
      correlationId: 'corr-company-1',
      source: 'urn:crm-sync:test',
    });
    expect(companyCommand).toMatchObject({ specversion: '1.0', type: 'business.upsert', datacontenttype: 'application/json', correlationid: 'corr-company-1' });
    expect(companyCommand.data).toEqual({ shop_id: null, external_ids: { hubspot: '9001', zoho: '5620000000001' }, attributes: { name: 'Initech', domain: 'initech.example' } });
    const companyReply = await send(companyCommand);
    expect(companyReply).toMatchObject({ routingKey: 'business.linked', correlationId: 'corr-company-1', event: { correlationid: 'corr-company-1', data: { created: true } } });
    const businessId = String(companyReply?.event.data.id);

    const contactCommand = shopUpsertCommand(rules, {
      object: 'contact',
      shopId: null,
      fields: { email: 'peter@initech.example', firstName: 'Peter', lastName: null, leadStatus: 'Customer' },
      companyId: businessId,
      externalIds: { hubspot: '501' },
      correlationId: 'corr-contact-1',
      source: 'urn:crm-sync:test',
    });
    expect(contactCommand.data.attributes).toEqual({ email: 'peter@initech.example', first_name: 'Peter', last_name: '', business_id: businessId });
    const contactReply = await send(contactCommand);
    expect(contactReply).toMatchObject({ routingKey: 'user.linked', correlationId: 'corr-contact-1', event: { data: { created: true, version: 1 } } });
    const userId = String(contactReply?.event.data.id);

    expect(await connector.get('contact', userId)).toMatchObject({ fields: { email: 'peter@initech.example', firstName: 'Peter', lastName: null }, companyId: businessId, crossRefs: { hubspot: '501' } });
    expect((await connector.findByExternalIds('company', { zoho: '5620000000001' }))?.ref.id).toBe(businessId);
    expect((await connector.findByExternalIds('contact', { zoho: 'unknown', hubspot: '501' }))?.ref.id).toBe(userId);
    expect(await connector.findByExternalIds('contact', { hubspot: '502' })).toBeNull();
    expect(await connector.findByExternalIds('contact', {})).toBeNull();

    // sent again with the shop id (an update): same record, the business removed
    const again = await send(
      shopUpsertCommand(rules, { object: 'contact', shopId: userId, fields: { email: 'peter@initech.example', lastName: 'Gibbons' }, companyId: null, externalIds: { hubspot: '501' }, correlationId: 'corr-contact-2', source: 'urn:crm-sync:test' }),
    );
    expect(again).toMatchObject({ routingKey: 'user.linked', event: { subject: `users/${userId}`, data: { id: userId, created: false } } });
    expect(await connector.get('contact', userId)).toMatchObject({ fields: { lastName: 'Gibbons' }, companyId: null });
  });

  test('commands the shop would reject for sure are refused when built', () => {
    const base = { shopId: null, externalIds: { hubspot: '1' }, correlationId: 'c', source: 'urn:crm-sync:test' };
    expect(() => shopUpsertCommand(rules, { ...base, object: 'contact', fields: { firstName: 'No Email' } })).toThrow(ValidationError);
    expect(() => shopUpsertCommand(rules, { ...base, object: 'company', fields: { name: null } })).toThrow(ValidationError);
    expect(() => shopUpsertCommand(rules, { ...base, object: 'company', fields: { name: 'X' }, externalIds: {} })).toThrow(PermanentCrmError);
    expect(() => shopUpsertCommand(rules, { ...base, object: 'deal', fields: { name: 'X' } })).toThrow(PermanentCrmError);
  });

  test('the connector never writes: every write refuses as non-retryable; ensureSchema does nothing', async () => {
    const refusals = [
      connector.create('contact', { email: 'a@example.com' }, { crossRefs: { hubspot: '1' } }),
      connector.update('company', '200001', { name: 'X' }, {}),
      connector.archive('contact', '100001'),
      connector.createMany('contact', [{ fields: { email: 'a@example.com' }, links: {} }]),
      connector.updateMany('deal', [{ id: '300001', fields: {}, links: {} }]),
    ];
    for (const refusal of refusals) {
      const error: unknown = await refusal.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrittenByCommandError);
      expect(error).toMatchObject({ retryable: false, category: 'permanent' });
    }
    await expect(connector.ensureSchema()).resolves.toBeUndefined();
    expect(calls).toEqual([]);
  });
});

describe('shop connector errors', () => {
  afterEach(() => shop.call('DELETE', '/_sim/faults'));

  test('5xx, an outage and an unanswered request are transient', async () => {
    await shop.faults({ errorRate: 1 });
    const failure = await connector.get('contact', '100001').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TransientCrmError);
    expect((failure as TransientCrmError).status).toBeGreaterThanOrEqual(500);

    await shop.faults({ errorRate: 0, outage: true });
    await expect(connector.listPage('contact', { limit: 10 })).rejects.toMatchObject({ name: 'TransientCrmError', status: 503, retryable: true });

    await shop.faults({ outage: false, timeoutRate: 1 });
    await expect(connector.getMany('contact', ['100001'])).rejects.toBeInstanceOf(TransientCrmError);
    expect(calls.at(-1)).toMatchObject({ operation: 'read contacts', status: 'network-error' });
  });

  test('a wrong key is an auth error; a bad query is a validation error; a foreign cursor is permanent', async () => {
    const wrongKey = createShopConnector({ rules, apiUrl: kit.sim.url, apiKey: 'wrong' });
    await expect(wrongKey.get('contact', '100001')).rejects.toMatchObject({ name: 'AuthError', status: 401 });
    await expect(wrongKey.get('contact', '100001')).rejects.toBeInstanceOf(AuthError);
    await expect(connector.listPage('contact', { limit: 10, idFrom: 'abc' })).rejects.toMatchObject({ name: 'ValidationError', status: 400, code: 'invalid_request', retryable: false });
    await expect(connector.listPage('contact', { limit: 10, cursor: 'not-ours' })).rejects.toBeInstanceOf(PermanentCrmError);
  });

  /** A connector over a server that answers every request the same way: what the simulator cannot be made to do. */
  async function withServer(status: number, headers: Record<string, string>, body: unknown, run: (connector: ShopConnector) => Promise<void>): Promise<void> {
    const server: Server = createServer((_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await run(createShopConnector({ rules, apiUrl: `http://127.0.0.1:${port}`, apiKey: API_KEY }));
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  test('a 429 is rate limited, waiting as Retry-After says', async () => {
    // The simulator never throttles (nor, as far as we know, does the shop).
    await withServer(429, { 'retry-after': '7' }, { error: { code: 'unavailable', message: 'slow down' } }, async (throttled) => {
      const error = await throttled.findMatch('contact', { email: 'a@example.com' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitedError);
      expect(error).toMatchObject({ status: 429, retryAfterMs: 7000, retryable: true });
    });
  });

  test('an answer outside the contract is transient (a proxy or a half-deployed shop), and names no values', async () => {
    await withServer(200, {}, { id: '1', email: 'secret@example.com' }, async (broken) => {
      const error = await broken.get('contact', '1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransientCrmError);
      expect(String(error)).not.toMatch(/secret/);
      await expect(broken.listPage('company', { limit: 5 })).rejects.toThrow('Shop answered an unexpected body to list company');
    });
  });
});
