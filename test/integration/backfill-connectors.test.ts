import { sandboxConnectors } from './connectors/harness';
import { ConflictError, ValidationError } from '../../src/connectors/errors';
import type { BatchCreateInput, CrmConnector } from '../../src/connectors/types';
import type { CrmObject } from '../../src/domain/records';
import { createHubspotSimulator, type HubspotSimulator } from '../../src/sandbox/hubspot';
import { createZohoSimulator, type ZohoSimulator } from '../../src/sandbox/zoho';
import { openStore, type SyncStore } from '../../src/store';
import { seed } from './backfill-harness';

/** The connectors' batch methods and keyset listing, straight against the simulators (no Temporal). */
describe('backfill: batch connector methods', () => {
  let hubspotSim: HubspotSimulator;
  let zohoSim: ZohoSimulator;
  let store: SyncStore;
  let crm: Record<'hubspot' | 'zoho', CrmConnector>;

  beforeAll(async () => {
    hubspotSim = await createHubspotSimulator({ port: 0, searchIndexDelayMs: 0, rateLimit: { searchPerSecond: 100, perTenSeconds: 1000 } });
    zohoSim = await createZohoSimulator({ port: 0, searchIndexDelayMs: 0 });
    store = await openStore({});
    crm = sandboxConnectors(
      store,
      { url: hubspotSim.url, clientId: 'sandbox-hubspot-client', clientSecret: 'sandbox-hubspot-secret', refreshToken: 'sandbox-hubspot-refresh' },
      { url: zohoSim.url, clientId: 'sandbox-zoho-client', clientSecret: 'sandbox-zoho-secret', refreshToken: 'sandbox-zoho-refresh' },
    );
    await Promise.all([crm.hubspot.ensureSchema(), crm.zoho.ensureSchema()]);
    await Promise.all([seed(hubspotSim.url, { contacts: 230, companies: 20, seed: 3 }), seed(zohoSim.url, { contacts: 230, companies: 20, seed: 3 })]);
  });
  afterAll(async () => {
    await Promise.all([hubspotSim?.close(), zohoSim?.close()]);
    await store?.close();
  });

  /** The system whose cross-reference a connector's records hold in these tests. */
  const otherOf = (connector: CrmConnector) => (connector.system === 'hubspot' ? 'zoho' : 'hubspot');

  /** Pages through everything while writing into each page's records, as a backfill does. */
  async function listWhileWriting(connector: CrmConnector, object: CrmObject, filter: { idFrom?: string; idTo?: string; modifiedBefore?: string } = {}) {
    const before = filter.modifiedBefore;
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await connector.listPage(object, { limit: 50, ...filter, ...(before ? { modifiedBefore: before } : {}), ...(cursor ? { cursor } : {}) });
      pages += 1;
      seen.push(...page.records.map((r) => r.ref.id));
      const outcomes = await connector.updateMany(object, page.records.map((r) => ({ id: r.ref.id, fields: {}, links: { crossRefs: { [otherOf(connector)]: `x${r.ref.id}` } } })));
      expect(outcomes.every((o) => o.ok)).toBe(true);
      cursor = page.nextCursor;
    } while (cursor);
    return { seen, pages };
  }

  test.each(['hubspot', 'zoho'] as const)('%s: keyset listing sees every record once although each page is written to', async (system) => {
    const connector = crm[system];
    const total = await connector.count('contact', { modifiedBefore: new Date().toISOString() });
    // The window ends now: without the keyset, records leaving it as they are written would shift later pages.
    const { seen, pages } = await listWhileWriting(connector, 'contact', { modifiedBefore: new Date().toISOString() });
    expect(total).toBe(230);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(230);
    expect(pages).toBeGreaterThanOrEqual(5);
    // Every record now carries the cross-reference written page by page.
    const reread = await connector.getMany('contact', seen.slice(0, 100));
    expect(reread.every((r) => r.crossRefs?.[otherOf(connector)] === `x${r.ref.id}`)).toBe(true);

    const sorted = [...seen].sort((a, b) => (a.length - b.length) || a.localeCompare(b));
    const range = { idFrom: sorted[40] ?? '', idTo: sorted[59] ?? '' };
    const inRange = await listWhileWriting(connector, 'contact', range);
    expect(inRange.seen.sort()).toEqual(sorted.slice(40, 60).sort());
  });

  test.each(['hubspot', 'zoho'] as const)('%s: findMatches answers each key in order, like findMatch', async (system) => {
    const connector = crm[system];
    const [a, b] = (await connector.listPage('contact', { limit: 2 })).records;
    const companies = (await connector.listPage('company', { limit: 2 })).records;
    const keys = [{ email: String(a?.fields.email).toUpperCase() }, { email: 'nobody@nowhere.example' }, { email: b?.fields.email ?? null }];
    const found = await connector.findMatches('contact', keys);
    expect(found.map((r) => r?.ref.id ?? null)).toEqual([a?.ref.id, null, b?.ref.id]);
    for (let i = 0; i < keys.length; i += 1) expect((await connector.findMatch('contact', keys[i] ?? {}))?.ref.id ?? null).toBe(found[i]?.ref.id ?? null);

    const [c, d] = companies;
    const companyKeys = [{ domain: c?.fields.domain ?? null, name: 'no such name' }, { domain: 'unknown.example', name: d?.fields.name ?? null }, { name: 'nope' }];
    const byCompany = await connector.findMatches('company', companyKeys);
    expect(byCompany.map((r) => r?.ref.id ?? null)).toEqual([c?.ref.id, d?.ref.id, null]);
  });

  test('HubSpot createMany: one refused email does not stop the batch; a retry creates nothing twice', async () => {
    const company = (await crm.hubspot.listPage('company', { limit: 1 })).records[0];
    const inputs: BatchCreateInput[] = [
      { fields: { email: 'batch-one@example.com', firstName: 'One', lastName: 'B' }, links: { crossRefs: { zoho: '9000000000000000001' }, companyId: company?.ref.id ?? null } },
      { fields: { email: 'poison@example.c0m', firstName: 'Poison', lastName: 'B' }, links: { crossRefs: { zoho: '9000000000000000002' } } },
      { fields: { email: 'batch-three@example.com', lastName: 'B' }, links: { crossRefs: { zoho: '9000000000000000003' } } },
      { fields: { email: 'BATCH-ONE@example.com', lastName: 'Again' }, links: { crossRefs: { zoho: '9000000000000000004' } } },
    ];
    const first = await crm.hubspot.createMany('contact', inputs);
    expect(first.map((o) => (o.ok ? o.result.created : o.error.constructor.name))).toEqual([true, 'ValidationError', true, 'ConflictError']);
    const refused = first[1];
    expect(refused && !refused.ok && refused.error instanceof ValidationError && refused.error.fields.map((f) => f.field)).toEqual(['email']);
    const created = first[0]?.ok ? first[0].result.id : '';
    expect((await crm.hubspot.get('contact', created))?.companyId).toBe(company?.ref.id);

    const again = await crm.hubspot.createMany('contact', [inputs[0], inputs[2]].filter((i) => i !== undefined));
    expect(again.map((o) => o.ok && o.result.created)).toEqual([false, false]);
    expect(again[0]?.ok && again[0].result.id).toBe(created);
  });

  test('HubSpot createMany onlyNew: a contact whose email or cross-reference another holds is refused in place and left as it was', async () => {
    const held = (await crm.hubspot.listPage('contact', { limit: 1 })).records[0];
    const heldEmail = String(held?.fields.email);
    const inputs: BatchCreateInput[] = [
      { fields: { email: 'only-new@example.com', firstName: 'New', lastName: 'C' }, links: { crossRefs: { zoho: '9000000000000000011' } } },
      { fields: { email: heldEmail.toUpperCase(), firstName: 'Over', lastName: 'Written' }, links: { crossRefs: { zoho: '9000000000000000012' } } },
      { fields: { email: 'only-new-two@example.com', lastName: 'C' }, links: { crossRefs: { zoho: '9000000000000000011' } } },
    ];
    const outcomes = await crm.hubspot.createMany('contact', [inputs[0], inputs[1]].filter((i) => i !== undefined), { onlyNew: true });
    expect(outcomes.map((o) => (o.ok ? o.result.created : o.error.constructor.name))).toEqual([true, 'ConflictError']);
    // the record the email belongs to is untouched: an upsert would have written these names over it
    const after = await crm.hubspot.get('contact', held?.ref.id ?? '');
    expect({ firstName: after?.fields.firstName, lastName: after?.fields.lastName }).toEqual({ firstName: held?.fields.firstName, lastName: held?.fields.lastName });
    // a cross-reference is unique too: the same Zoho id on another email is refused, and a retry of the first finds it made
    const retried = await crm.hubspot.createMany('contact', [inputs[2], inputs[0]].filter((i) => i !== undefined), { onlyNew: true });
    expect(retried.map((o) => (o.ok ? o.result.created : o.error.constructor.name))).toEqual(['ConflictError', 'ConflictError']);
    expect((await crm.hubspot.findMatch('contact', { email: 'only-new-two@example.com' }))).toBeNull();
  });

  test('Zoho createMany upserts by the cross-reference, then email; updateMany writes patches and reports per record', async () => {
    const account = (await crm.zoho.listPage('company', { limit: 1 })).records[0];
    const inputs: BatchCreateInput[] = [
      { fields: { email: 'z-one@example.com', lastName: 'One' }, links: { crossRefs: { hubspot: '7000001' }, companyId: account?.ref.id ?? null } },
      { fields: { email: 'z-two@example.com' }, links: { crossRefs: { hubspot: '7000002' } } },
      { fields: { email: 'z-three@example.com', lastName: 'Three' }, links: { crossRefs: { hubspot: '7000001' } } },
    ];
    const first = await crm.zoho.createMany('contact', inputs);
    expect(first[0]?.ok && first[0].result.created).toBe(true);
    expect(first[1]?.ok === false && first[1].error).toBeInstanceOf(ValidationError);
    expect(first[2]?.ok === false && first[2].error).toBeInstanceOf(ConflictError);
    const again = await crm.zoho.createMany('contact', [{ links: inputs[0]?.links ?? {}, fields: { email: 'z-one-renamed@example.com', lastName: 'One' } }]);
    expect(again[0]?.ok && again[0].result).toMatchObject({ created: false, id: first[0]?.ok ? first[0].result.id : '' });
    const id = first[0]?.ok ? first[0].result.id : '';
    expect(await crm.zoho.get('contact', id)).toMatchObject({ companyId: account?.ref.id, crossRefs: { hubspot: '7000001' }, fields: { email: 'z-one-renamed@example.com' } });

    const updated = await crm.zoho.updateMany('contact', [
      { id, fields: { jobTitle: 'Engineer' }, links: {} },
      { id: '5725767999999999999', fields: { jobTitle: 'Ghost' }, links: {} },
      { id, fields: {}, links: {} },
    ]);
    expect(updated.map((o) => o.ok)).toEqual([true, false, false]);
    expect((await crm.zoho.get('contact', id))?.fields.jobTitle).toBe('Engineer');
  });
});
