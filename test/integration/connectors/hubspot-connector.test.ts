import { z } from 'zod';
import { DEFAULT_SYNC_RULES } from '../../../src/domain/schema/sync-rules';
import {
  AuthError,
  NotFoundError,
  PermanentCrmError,
  RateLimitedError,
  TransientCrmError,
  ValidationError,
} from '../../../src/connectors/errors';
import { createHubspotConnector } from '../../../src/connectors/hubspot/connector';
import { hubspotTokenExchange } from '../../../src/connectors/hubspot/token-exchange';
import { createTokenProvider } from '../../../src/connectors/oauth/token-provider';
import type { CrmConnector } from '../../../src/connectors/types';
import { createHubspotSimulator, type HubspotSimulator } from '../../../src/sandbox/hubspot';
import { openStore, type SyncStore } from '../../../src/store';
import { simAdmin, unique } from './harness';

const CLIENT = { clientId: 'cid', clientSecret: 'secret' };
const rules = DEFAULT_SYNC_RULES;

function connectorFor(sim: HubspotSimulator, store: SyncStore, refreshToken = 'refresh-1', requestsPerTenSeconds?: number, withRules = rules): CrmConnector {
  const tokens = createTokenProvider({
    system: 'hubspot',
    store,
    refreshTokenFromConfig: refreshToken,
    exchange: hubspotTokenExchange({ basePath: sim.url, ...CLIENT }),
  });
  return createHubspotConnector({ rules: withRules, basePath: sim.url, tokens, requestsPerTenSeconds });
}

describe('HubSpot connector against the simulator', () => {
  let sim: HubspotSimulator;
  let store: SyncStore;
  /** For connectors that must not see the main connector's token (used by one test at a time). */
  let spareStore: SyncStore;
  let hubspot: CrmConnector;
  let admin: ReturnType<typeof simAdmin>;

  beforeAll(async () => {
    // Search's own 5/s limit is exercised by the simulator's tests, the ten-secondly one below with simulators of their
    // own; here they would only make the tests depend on how fast the ones before them ran.
    sim = await createHubspotSimulator({
      port: 0,
      ...CLIENT,
      refreshToken: 'refresh-1',
      searchIndexDelayMs: 0,
      rateLimit: { perTenSeconds: 10_000, searchPerSecond: 1000 },
    });
    [store, spareStore] = await Promise.all([openStore({}), openStore({})]);
    hubspot = connectorFor(sim, store);
    admin = simAdmin(sim.url);
    await hubspot.ensureSchema();
  });

  afterAll(async () => {
    await sim.close();
    await Promise.all([store.close(), spareStore.close()]);
  });

  afterEach(() => admin.clearFaults());

  it('ensureSchema is idempotent', async () => {
    await expect(hubspot.ensureSchema()).resolves.toBeUndefined();
  });

  it('creates, reads, finds, updates and archives a contact', async () => {
    const email = `${unique('ada')}@example.com`;
    const zohoId = unique('z');
    const created = await hubspot.create('contact', { email, firstName: 'Ada', lastName: 'Lovelace' }, { crossRefs: { zoho: zohoId } });
    expect(created.created).toBe(true);
    expect(created.modifiedAt).toBe(Date.parse(created.version));

    const read = await hubspot.get('contact', created.id);
    expect(read).toMatchObject({
      ref: { system: 'hubspot', object: 'contact', id: created.id },
      version: created.version,
      fields: { email, firstName: 'Ada', lastName: 'Lovelace' },
      crossRefs: { zoho: zohoId },
      companyId: null,
    });

    // Search lags writes; findMatch for contacts must not depend on it.
    sim.options.searchIndexDelayMs = 60_000;
    try {
      const match = await hubspot.findMatch('contact', { email: email.toUpperCase() });
      expect(match?.ref.id).toBe(created.id);
    } finally {
      sim.options.searchIndexDelayMs = 0;
    }
    expect(await hubspot.findMatch('contact', { email: `${unique('nobody')}@example.com` })).toBeNull();

    const updated = await hubspot.update('contact', created.id, { jobTitle: 'Analyst' }, {});
    expect(updated).toMatchObject({ id: created.id, created: false });
    const after = await hubspot.get('contact', created.id);
    expect(after?.fields).toMatchObject({ jobTitle: 'Analyst', firstName: 'Ada' });
    expect(after?.version).toBe(updated.version);

    await hubspot.archive('contact', created.id);
    expect(await hubspot.get('contact', created.id)).toBeNull();
    await expect(hubspot.archive('contact', created.id)).resolves.toBeUndefined();
    await expect(hubspot.update('contact', created.id, { jobTitle: 'x' }, {})).rejects.toBeInstanceOf(NotFoundError);
  });

  it('creates, reads, finds, updates and archives a company', async () => {
    const domain = `${unique('acme')}.example`;
    const name = `Acme ${unique('')}`;
    const zohoId = unique('za');
    const created = await hubspot.create('company', { name, domain }, { crossRefs: { zoho: zohoId } });
    expect(created.created).toBe(true);

    const read = await hubspot.get('company', created.id);
    expect(read).toMatchObject({ fields: { name, domain }, crossRefs: { zoho: zohoId } });
    expect(read?.companyId).toBeUndefined();

    expect((await hubspot.findMatch('company', { domain: `https://www.${domain}/about` }))?.ref.id).toBe(created.id);
    expect((await hubspot.findMatch('company', { domain: null, name: `  ${name.toLowerCase()} ` }))?.ref.id).toBe(created.id);
    expect(await hubspot.findMatch('company', { domain: `${unique('none')}.example`, name: unique('No such company') })).toBeNull();

    const updated = await hubspot.update('company', created.id, { city: 'Paris' }, {});
    expect((await hubspot.get('company', created.id))?.fields.city).toBe('Paris');
    expect(updated.modifiedAt).toBeGreaterThanOrEqual(created.modifiedAt);

    await hubspot.archive('company', created.id);
    expect(await hubspot.get('company', created.id)).toBeNull();
  });

  it('creates idempotently: the same create twice yields one record', async () => {
    const zohoId = unique('z');
    const email = `${unique('twice')}@example.com`;
    const first = await hubspot.create('contact', { email, lastName: 'Twice' }, { crossRefs: { zoho: zohoId } });
    const second = await hubspot.create('contact', { email, lastName: 'Twice' }, { crossRefs: { zoho: zohoId } });
    expect(second).toMatchObject({ id: first.id, created: false });

    const companyZohoId = unique('za');
    const c1 = await hubspot.create('company', { name: 'Twice Inc' }, { crossRefs: { zoho: companyZohoId } });
    const c2 = await hubspot.create('company', { name: 'Twice Inc' }, { crossRefs: { zoho: companyZohoId } });
    expect(c2).toMatchObject({ id: c1.id, created: false });

    // A contact without an email upserts by the cross-reference instead.
    const noEmailZohoId = unique('z');
    const n1 = await hubspot.create('contact', { lastName: 'NoMail' }, { crossRefs: { zoho: noEmailZohoId } });
    const n2 = await hubspot.create('contact', { lastName: 'NoMail' }, { crossRefs: { zoho: noEmailZohoId } });
    expect(n2).toMatchObject({ id: n1.id, created: false });
  });

  it('links to the existing record on a conflict instead of failing', async () => {
    // Someone created the contact in HubSpot already: create links to it.
    const email = `${unique('exists')}@example.com`;
    const existing = await hubspot.create('contact', { email, lastName: 'Existing' }, { crossRefs: { zoho: unique('z') } });
    const zohoId = unique('z');
    const linked = await hubspot.create('contact', { email, firstName: 'New' }, { crossRefs: { zoho: zohoId } });
    expect(linked).toMatchObject({ id: existing.id, created: false });
    expect((await hubspot.get('contact', existing.id))?.crossRefs).toEqual({ zoho: zohoId });

    // A retried create whose email changed meanwhile: the cross-reference is taken → update that record.
    const retried = await hubspot.create('contact', { email: `${unique('changed')}@example.com` }, { crossRefs: { zoho: zohoId } });
    expect(retried).toMatchObject({ id: existing.id, created: false });
  });

  it.each([400, 409] as const)('finds the holder of a taken cross-reference when HubSpot answers %i (400 names nobody, 409 names it)', async (status) => {
    sim.options.uniqueConflictStatus = status;
    try {
      const zohoId = unique('z');
      const holder = await hubspot.create('company', { name: 'Holder' }, { crossRefs: { zoho: zohoId } });
      // The second system's key is new, so the upsert by it creates, and the zoho cross-reference collides.
      const threeWay = connectorFor(sim, store, 'refresh-1', undefined, {
        ...rules,
        crossReference: { ...rules.crossReference, hubspot: { shop: 'shop_record_id', zoho: 'zoho_record_id' } },
      });
      await threeWay.ensureSchema();
      const shopId = unique('s');
      const written = await threeWay.create('company', { name: 'Holder again' }, { crossRefs: { shop: shopId, zoho: zohoId } });
      expect(written).toMatchObject({ id: holder.id, created: false });
      expect((await threeWay.get('company', holder.id))?.crossRefs).toEqual({ zoho: zohoId, shop: shopId });
    } finally {
      sim.options.uniqueConflictStatus = 400;
    }
  });

  it('keeps a cross-reference per linked system and creates by whichever one the write names', async () => {
    const threeWay = connectorFor(sim, store, 'refresh-1', undefined, {
      ...rules,
      crossReference: { ...rules.crossReference, hubspot: { zoho: 'zoho_record_id', shop: 'shop_record_id' } },
    });
    await threeWay.ensureSchema();
    const shopId = unique('s');
    const first = await threeWay.create('company', { name: 'Shop Co' }, { crossRefs: { shop: shopId } });
    const again = await threeWay.create('company', { name: 'Shop Co' }, { crossRefs: { shop: shopId } });
    expect(again).toMatchObject({ id: first.id, created: false });

    const zohoId = unique('za');
    await threeWay.update('company', first.id, {}, { crossRefs: { zoho: zohoId, shop: shopId } });
    expect((await threeWay.get('company', first.id))?.crossRefs).toEqual({ zoho: zohoId, shop: shopId });

    // No cross-reference property for the only system named: refused rather than risking a duplicate on retry.
    await expect(threeWay.create('company', { name: 'Nowhere' }, { crossRefs: { erp: unique('e') } })).rejects.toBeInstanceOf(PermanentCrmError);
  });

  it('follows the contact → company association', async () => {
    const token = async (): Promise<string> => (await store.getToken('hubspot'))?.accessToken ?? '';
    const associated = async (contactId: string): Promise<string[]> => {
      const response = await fetch(`${sim.url}/crm/v4/objects/contacts/${contactId}/associations/companies`, {
        headers: { authorization: `Bearer ${await token()}` },
      });
      const body = z.object({ results: z.array(z.object({ toObjectId: z.union([z.number(), z.string()]) })) }).parse(await response.json());
      return body.results.map((r) => String(r.toObjectId)).sort();
    };
    const [a, b, c] = await Promise.all(
      ['Assoc A', 'Assoc B', 'Assoc C'].map((name) => hubspot.create('company', { name }, { crossRefs: { zoho: unique('za') } })),
    );
    if (!a || !b || !c) throw new Error('companies not created');
    const email = `${unique('assoc')}@example.com`;
    const contact = await hubspot.create('contact', { email }, { crossRefs: { zoho: unique('z') }, companyId: a.id });
    expect((await hubspot.get('contact', contact.id))?.companyId).toBe(a.id);
    expect(await hubspot.findMatch('contact', { email })).toMatchObject({ ref: { id: contact.id }, companyId: a.id });

    // Someone also associates company C by hand; the followed company is still A (the first/primary one).
    await fetch(`${sim.url}/crm/v4/objects/contacts/${contact.id}/associations/default/companies/${c.id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${await token()}` },
    });

    const moved = await hubspot.update('contact', contact.id, {}, { companyId: b.id });
    const read = await hubspot.get('contact', contact.id);
    expect(read?.companyId).toBe(b.id);
    expect(read?.version).toBe(moved.version);
    // The old company is dissociated; the hand-made association stays.
    expect(await associated(contact.id)).toEqual([b.id, c.id].sort());

    await hubspot.update('contact', contact.id, {}, { companyId: null });
    expect(await associated(contact.id)).toEqual([c.id]);
  });

  it('lists a modification window oldest first, page by page', async () => {
    const since = new Date().toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await hubspot.create('company', { name: `List ${i}` }, { crossRefs: { zoho: unique('za') } })).id);
    const contact = await hubspot.create('contact', { email: `${unique('list')}@example.com` }, { crossRefs: { zoho: unique('z') }, companyId: ids[0] });

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await hubspot.listPage('company', { limit: 2, modifiedAfter: since, ...(cursor ? { cursor } : {}) });
      expect(page.records.length).toBeLessThanOrEqual(2);
      seen.push(...page.records.map((r) => r.ref.id));
      const times = page.records.map((r) => r.modifiedAt);
      expect([...times].sort((x, y) => x - y)).toEqual(times);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expect.arrayContaining(ids));

    const contacts = await hubspot.listPage('contact', { limit: 50, modifiedAfter: since });
    expect(contacts.records.find((r) => r.ref.id === contact.id)?.companyId).toBe(ids[0]);
    const none = await hubspot.listPage('company', { limit: 10, modifiedAfter: since, modifiedBefore: since });
    expect(none.records).toEqual([]);
  });

  it('maps a refused property value to ValidationError naming the property', async () => {
    const error = await hubspot.create('contact', { email: 'not-an-email' }, { crossRefs: { zoho: unique('z') } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ fields: [expect.objectContaining({ field: 'email' })] });
  });

  it('maps injected 5xx and network failures to TransientCrmError', async () => {
    await admin.faults({ errorRate: 1 });
    await expect(hubspot.get('contact', '1')).rejects.toBeInstanceOf(TransientCrmError);
    await admin.faults({ errorRate: 0, outage: true });
    await expect(hubspot.findMatch('company', { name: 'x' })).rejects.toBeInstanceOf(TransientCrmError);
  });

  it('gives up on a request HubSpot never answers (transient)', async () => {
    const tokens = createTokenProvider({
      system: 'hubspot',
      store,
      refreshTokenFromConfig: 'refresh-1',
      exchange: hubspotTokenExchange({ basePath: sim.url, ...CLIENT }),
    });
    const impatient = createHubspotConnector({ rules, basePath: sim.url, tokens, timeoutMs: 300 });
    await impatient.get('contact', '1');
    await admin.faults({ timeoutRate: 1 });
    const started = Date.now();
    await expect(impatient.get('contact', '1')).rejects.toBeInstanceOf(TransientCrmError);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refreshes once and retries once when HubSpot rejects the access token', async () => {
    await hubspot.get('contact', '1');
    const before = await admin.stats();
    await admin.expireTokens();
    const created = await hubspot.create('company', { name: 'After 401' }, { crossRefs: { zoho: unique('za') } });
    expect(created.created).toBe(true);
    const after = await admin.stats();
    expect(after.tokensIssued - before.tokensIssued).toBe(1);
    expect(after.status['401'] - before.status['401']).toBe(1);
  });

  it('reports a refused refresh token as AuthError', async () => {
    const broken = connectorFor(sim, spareStore, 'not-a-refresh-token');
    await expect(broken.get('contact', '1')).rejects.toBeInstanceOf(AuthError);
    expect(await spareStore.getToken('hubspot')).toBeNull();
  });

  it('turns the ten-secondly 429 into RateLimitedError with a delay', async () => {
    const limited = await createHubspotSimulator({ port: 0, ...CLIENT, refreshToken: 'refresh-1', rateLimit: { perTenSeconds: 2 } });
    try {
      const connector = connectorFor(limited, spareStore);
      await connector.get('contact', '1');
      await connector.get('contact', '1');
      const error = await connector.get('contact', '1').catch((e: unknown) => e);
      if (!(error instanceof RateLimitedError)) throw new Error(`expected RateLimitedError, got ${String(error)}`);
      expect(error.retryAfterMs).toBeGreaterThan(0);
      expect(error.retryAfterMs).toBeLessThanOrEqual(10_000);
    } finally {
      await limited.close();
    }
  });

  it('paces its own requests to the ten-secondly limit instead of earning 429s', async () => {
    const limited = await createHubspotSimulator({ port: 0, ...CLIENT, refreshToken: 'refresh-1', rateLimit: { perTenSeconds: 3 } });
    try {
      const connector = connectorFor(limited, spareStore, 'refresh-1', 3);
      // five requests at once against room for three per rolling 10 s: two must wait for the window to slide
      const reads = await Promise.allSettled(Array.from({ length: 5 }, () => connector.get('contact', '1')));
      expect(reads.map((read) => read.status)).toEqual(Array(5).fill('fulfilled'));
      expect((await simAdmin(limited.url).stats()).status['429']).toBe(0);
    } finally {
      await limited.close();
    }
  });

  it('paces searches to their own per-second limit, outside the ten-secondly budget', async () => {
    const limited = await createHubspotSimulator({ port: 0, ...CLIENT, refreshToken: 'refresh-1', searchIndexDelayMs: 0, rateLimit: { perTenSeconds: 100, searchPerSecond: 2 } });
    try {
      const tokens = createTokenProvider({ system: 'hubspot', store: spareStore, refreshTokenFromConfig: 'refresh-1', exchange: hubspotTokenExchange({ basePath: limited.url, ...CLIENT }) });
      // one request of the ten-second budget a second, two searches a second
      const connector = createHubspotConnector({ rules, basePath: limited.url, tokens, requestsPerTenSeconds: 10, searchesPerSecond: 2 });
      await connector.get('contact', '1');
      // six company matches by domain at once, each at least one search; then two reads, which queue behind them only
      // if searches spend the ten-second budget (over 6 s: a second per request)
      const matches = Promise.allSettled(Array.from({ length: 6 }, (_, i) => connector.findMatch('company', { domain: `paced-${i}.example` })));
      const started = Date.now();
      await Promise.all([connector.get('contact', '1'), connector.get('contact', '1')]);
      expect(Date.now() - started).toBeLessThan(4_000);
      expect((await matches).map((match) => match.status)).toEqual(Array(6).fill('fulfilled'));
      // unpaced, most searches would have been refused (429, SECONDLY) and failed their match
      expect((await simAdmin(limited.url).stats()).status['429']).toBe(0);
    } finally {
      await limited.close();
    }
  });

  it('never puts tokens into error messages', async () => {
    await admin.faults({ errorRate: 1 });
    const token = (await store.getToken('hubspot'))?.accessToken ?? 'missing';
    const error = await hubspot.get('contact', '1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientCrmError);
    expect(JSON.stringify(error)).not.toContain(token);
    expect(String(error)).not.toContain(token);
  });
});
