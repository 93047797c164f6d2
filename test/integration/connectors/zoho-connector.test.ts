import { z } from 'zod';
import { DEFAULT_SYNC_RULES } from '../../../src/domain/schema/sync-rules';
import { NotFoundError, RateLimitedError, TransientCrmError, ValidationError } from '../../../src/connectors/errors';
import { createTokenProvider, type TokenProvider } from '../../../src/connectors/oauth/token-provider';
import { createZohoConnector, type ZohoConnector } from '../../../src/connectors/zoho/connector';
import { zohoTokenExchange } from '../../../src/connectors/zoho/token-exchange';
import { createZohoSimulator, type ZohoSimulator } from '../../../src/sandbox/zoho';
import { openStore, type SyncStore } from '../../../src/store';
import { simAdmin, unique } from './harness';

const CLIENT = { clientId: 'zcid', clientSecret: 'zsecret', refreshToken: 'zrefresh' };
const rules = DEFAULT_SYNC_RULES;

describe('Zoho connector against the simulator', () => {
  let sim: ZohoSimulator;
  let store: SyncStore;
  let zoho: ZohoConnector;
  let tokens: TokenProvider;
  let admin: ReturnType<typeof simAdmin>;

  beforeAll(async () => {
    // Website unique: lets a create collide on a field upsert does not check (→ DUPLICATE_DATA).
    sim = await createZohoSimulator({ port: 0, ...CLIENT, searchIndexDelayMs: 0, uniqueStandardFields: { Contacts: [], Accounts: ['Website'] } });
    store = await openStore({});
    tokens = createTokenProvider({
      system: 'zoho',
      store,
      refreshTokenFromConfig: CLIENT.refreshToken,
      exchange: zohoTokenExchange({ accountsUrl: sim.url, ...CLIENT }),
    });
    zoho = createZohoConnector({ rules, apiBaseUrl: sim.url, tokens, rateLimitDefaultMs: 2500 });
    admin = simAdmin(sim.url);
    await zoho.ensureSchema();
  });

  afterAll(async () => {
    await sim.close();
    await store.close();
  });

  afterEach(() => admin.clearFaults());

  it('ensureSchema creates a unique HubSpot_ID once', async () => {
    await expect(zoho.ensureSchema()).resolves.toBeUndefined();
    const token = (await store.getToken('zoho'))?.accessToken ?? '';
    const response = await fetch(`${sim.url}/crm/v8/settings/fields?module=Contacts`, { headers: { authorization: `Zoho-oauthtoken ${token}` } });
    const { fields } = z
      .object({ fields: z.array(z.object({ api_name: z.string(), unique: z.record(z.string(), z.unknown()) })) })
      .parse(await response.json());
    const crossRef = fields.filter((f) => f.api_name === 'HubSpot_ID');
    expect(crossRef).toHaveLength(1);
    expect(Object.keys(crossRef[0]?.unique ?? {})).not.toHaveLength(0);
  });

  it('creates, reads, finds, updates and deletes a contact', async () => {
    const account = await zoho.create('company', { name: `Acc ${unique('')}` }, { crossRefs: { hubspot: unique('h') } });
    const email = `${unique('grace')}@example.com`;
    const hubspotId = unique('h');
    const created = await zoho.create(
      'contact',
      { email, firstName: 'Grace', lastName: 'Hopper', leadStatus: 'Hot' },
      { crossRefs: { hubspot: hubspotId }, companyId: account.id },
    );
    expect(created.created).toBe(true);
    expect(created.modifiedAt).toBe(Date.parse(created.version));

    const read = await zoho.get('contact', created.id);
    expect(read).toMatchObject({
      ref: { system: 'zoho', object: 'contact', id: created.id },
      version: created.version,
      fields: { email, firstName: 'Grace', lastName: 'Hopper', leadStatus: 'Hot' },
      crossRefs: { hubspot: hubspotId },
      companyId: account.id,
    });

    expect((await zoho.findMatch('contact', { email: email.toUpperCase() }))?.ref.id).toBe(created.id);
    // email= matches partially in Zoho: a prefix of the address must not count as a match.
    expect(await zoho.findMatch('contact', { email: email.slice(1) })).toBeNull();

    const updated = await zoho.update('contact', created.id, { leadStatus: 'Cold' }, { companyId: null });
    const after = await zoho.get('contact', created.id);
    expect(after).toMatchObject({ fields: { leadStatus: 'Cold', lastName: 'Hopper' }, companyId: null, version: updated.version });

    await zoho.archive('contact', created.id);
    expect(await zoho.get('contact', created.id)).toBeNull();
    await expect(zoho.archive('contact', created.id)).resolves.toBeUndefined();
    await expect(zoho.update('contact', created.id, { lastName: 'x' }, {})).rejects.toBeInstanceOf(NotFoundError);
  });

  it("answers a field holding our unsaved write with its link's base while the hub modified the record last, and nothing once a person did", async () => {
    const email = `${unique('left')}@example.com`;
    const created = await zoho.create('contact', { email, lastName: 'Left', jobTitle: 'Clerk' }, { crossRefs: { hubspot: unique('h') } });
    const ours = await zoho.update('contact', created.id, { jobTitle: 'Editor' }, {});
    const write = { id: created.id, fields: { jobTitle: 'Editor' }, base: { jobTitle: 'Clerk' } };
    const replaced = (since: number) => zoho.valuesReplaced?.('contact', [{ ...write, since }]);
    expect((await replaced(created.modifiedAt))?.get(created.id)).toEqual({ jobTitle: { value: 'Clerk', at: created.modifiedAt } });
    // a link synced after the record's last modification: our write is not what stands there
    expect((await replaced(ours.modifiedAt + 1000))?.size).toBe(0);

    const byHand = await fetch(`${sim.url}/_sim/ui/Contacts/${created.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: [{ Mobile: '+44 20 7946 0000' }] }),
    });
    expect(byHand.status).toBe(200);
    expect((await replaced(created.modifiedAt))?.size).toBe(0);
  });

  it('answers nothing, and does not fail, for a token not granted the users scope', async () => {
    const created = await zoho.create('contact', { email: `${unique('unscoped')}@example.com`, lastName: 'Unscoped', jobTitle: 'Clerk' }, { crossRefs: { hubspot: unique('h') } });
    await zoho.update('contact', created.id, { jobTitle: 'Editor' }, {});
    const scope = sim.options.scope;
    sim.options.scope = 'ZohoCRM.modules.ALL ZohoCRM.settings.ALL';
    try {
      // a connector of its own: who the hub is, once known, is kept for the process
      const unscoped = createZohoConnector({ rules, apiBaseUrl: sim.url, tokens });
      const write = { id: created.id, fields: { jobTitle: 'Editor' }, base: { jobTitle: 'Clerk' }, since: created.modifiedAt };
      expect((await unscoped.valuesReplaced?.('contact', [write]))?.size).toBe(0);
    } finally {
      sim.options.scope = scope;
    }
  });

  it('creates, reads, finds, updates and deletes a company', async () => {
    const domain = `${unique('globex')}.example`;
    const name = `Globex ${unique('')}`;
    const hubspotId = unique('h');
    const created = await zoho.create('company', { name, domain, employees: '42' }, { crossRefs: { hubspot: hubspotId } });
    expect(created.created).toBe(true);

    const read = await zoho.get('company', created.id);
    expect(read).toMatchObject({ fields: { name, domain, employees: '42' }, crossRefs: { hubspot: hubspotId } });
    expect(read?.companyId).toBeUndefined();

    expect((await zoho.findMatch('company', { domain: `http://www.${domain}` }))?.ref.id).toBe(created.id);
    expect((await zoho.findMatch('company', { name: name.toUpperCase() }))?.ref.id).toBe(created.id);
    // Zoho's equals is "contains": a longer name containing ours is not a match.
    const longer = await zoho.create('company', { name: `${name} Holdings` }, { crossRefs: { hubspot: unique('h') } });
    expect((await zoho.findMatch('company', { name }))?.ref.id).toBe(created.id);
    expect((await zoho.findMatch('company', { name: `${name} Holdings` }))?.ref.id).toBe(longer.id);
    expect(await zoho.findMatch('company', { domain: `${unique('none')}.example`, name: unique('none') })).toBeNull();

    await zoho.update('company', created.id, { city: 'Berlin' }, {});
    expect((await zoho.get('company', created.id))?.fields.city).toBe('Berlin');

    await zoho.archive('company', created.id);
    expect(await zoho.get('company', created.id)).toBeNull();
  });

  it('creates idempotently through upsert on the cross-reference', async () => {
    const hubspotId = unique('h');
    const first = await zoho.create('contact', { email: `${unique('twice')}@example.com`, lastName: 'Twice' }, { crossRefs: { hubspot: hubspotId } });
    // The retry even survives an email change in between: HubSpot_ID is checked first.
    const second = await zoho.create('contact', { email: `${unique('changed')}@example.com`, lastName: 'Twice' }, { crossRefs: { hubspot: hubspotId } });
    expect(second).toMatchObject({ id: first.id, created: false });

    const companyId = unique('h');
    const c1 = await zoho.create('company', { name: `Twice ${unique('')}` }, { crossRefs: { hubspot: companyId } });
    const c2 = await zoho.create('company', { name: `Twice ${unique('')}` }, { crossRefs: { hubspot: companyId } });
    expect(c2).toMatchObject({ id: c1.id, created: false });
  });

  it('keeps a cross-reference per linked system and upserts by each of them', async () => {
    const threeWay = createZohoConnector({
      rules: { ...rules, crossReference: { ...rules.crossReference, zoho: { hubspot: 'HubSpot_ID', shop: 'Shop_ID' } } },
      apiBaseUrl: sim.url,
      tokens,
    });
    await threeWay.ensureSchema();
    const shopId = unique('s');
    const first = await threeWay.create('contact', { email: `${unique('three')}@example.com`, lastName: 'Three' }, { crossRefs: { shop: shopId } });
    // A retry that meanwhile learnt of a HubSpot record, with another email: still the same record, by Shop_ID.
    const hubspotId = unique('h');
    const second = await threeWay.create('contact', { email: `${unique('other')}@example.com`, lastName: 'Three' }, { crossRefs: { hubspot: hubspotId, shop: shopId } });
    expect(second).toMatchObject({ id: first.id, created: false });
    expect((await threeWay.get('contact', first.id))?.crossRefs).toEqual({ hubspot: hubspotId, shop: shopId });
  });

  it('links to the record holding a unique value (DUPLICATE_DATA) instead of failing', async () => {
    const domain = `${unique('dup')}.example`;
    const existing = await zoho.create('company', { name: `Dup ${unique('')}`, domain }, { crossRefs: { hubspot: unique('h') } });
    const hubspotId = unique('h');
    const linked = await zoho.create('company', { name: `Other ${unique('')}`, domain }, { crossRefs: { hubspot: hubspotId } });
    expect(linked).toMatchObject({ id: existing.id, created: false });
    expect((await zoho.get('company', existing.id))?.crossRefs).toEqual({ hubspot: hubspotId });
  });

  it('reports INVALID_DATA on a malformed email as ValidationError naming Email', async () => {
    const error = await zoho.create('contact', { email: 'not-an-email', lastName: 'Bad' }, { crossRefs: { hubspot: unique('h') } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'INVALID_DATA', fields: [expect.objectContaining({ field: 'Email' })] });
    expect(String(error)).not.toContain('not-an-email');
  });

  it('reports a missing mandatory field as ValidationError', async () => {
    const error = await zoho.create('contact', { email: `${unique('nolast')}@example.com` }, { crossRefs: { hubspot: unique('h') } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MANDATORY_NOT_FOUND', fields: [expect.objectContaining({ field: 'Last_Name' })] });
  });

  it('lists a modification window oldest first, page by page', async () => {
    const since = new Date().toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await zoho.create('company', { name: `ZList ${unique('')}` }, { crossRefs: { hubspot: unique('h') } })).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await zoho.listPage('company', { limit: 2, modifiedAfter: since, ...(cursor ? { cursor } : {}) });
      pages += 1;
      const times = page.records.map((r) => r.modifiedAt);
      expect([...times].sort((x, y) => x - y)).toEqual(times);
      seen.push(...page.records.map((r) => r.ref.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toBeGreaterThan(1);
    expect(seen).toEqual(expect.arrayContaining(ids));
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await zoho.listPage('company', { limit: 10, modifiedAfter: future })).records).toEqual([]);
    expect((await zoho.listPage('company', { limit: 10, modifiedAfter: since, modifiedBefore: since })).records).toEqual([]);
  });

  it('maps injected 5xx and outages to TransientCrmError', async () => {
    await admin.faults({ errorRate: 1 });
    await expect(zoho.get('contact', '1')).rejects.toBeInstanceOf(TransientCrmError);
    await admin.faults({ errorRate: 0, outage: true });
    await expect(zoho.findMatch('contact', { email: 'a@example.com' })).rejects.toBeInstanceOf(TransientCrmError);
  });

  it('gives up on a request Zoho never answers (transient)', async () => {
    const tokens = createTokenProvider({
      system: 'zoho',
      store,
      refreshTokenFromConfig: CLIENT.refreshToken,
      exchange: zohoTokenExchange({ accountsUrl: sim.url, ...CLIENT }),
    });
    const impatient = createZohoConnector({ rules, apiBaseUrl: sim.url, tokens, timeoutMs: 300 });
    await impatient.get('contact', '1');
    await admin.faults({ timeoutRate: 1 });
    const started = Date.now();
    await expect(impatient.get('contact', '1')).rejects.toBeInstanceOf(TransientCrmError);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('turns 429 TOO_MANY_REQUESTS into RateLimitedError with the configured delay', async () => {
    const credits = sim.options.dailyCredits;
    sim.options.dailyCredits = 0;
    try {
      const error = await zoho.get('contact', '1').catch((e: unknown) => e);
      if (!(error instanceof RateLimitedError)) throw new Error(`expected RateLimitedError, got ${String(error)}`);
      expect(error.retryAfterMs).toBe(2500);
    } finally {
      sim.options.dailyCredits = credits;
    }
  });

  it('refreshes once and retries once on 401 INVALID_TOKEN', async () => {
    await zoho.get('contact', '1');
    const before = await admin.stats();
    await admin.expireTokens();
    expect(await zoho.get('contact', '1')).toBeNull();
    const after = await admin.stats();
    expect(after.tokensIssued - before.tokensIssued).toBe(1);
    expect(after.status['401'] - before.status['401']).toBe(1);
  });
});
