import type { Client } from '@hubspot/api-client';
import { PermanentCrmError } from '../../../src/connectors/errors';
import { createHubspotConnector } from '../../../src/connectors/hubspot/connector';
import { hubspotTokenExchange } from '../../../src/connectors/hubspot/token-exchange';
import { parseHubspotEvents, verifyHubspotSignature } from '../../../src/connectors/hubspot/webhook';
import { createTokenProvider } from '../../../src/connectors/oauth/token-provider';
import type { CrmConnector } from '../../../src/connectors/types';
import { DEFAULT_DEAL_MAPPINGS } from '../../../src/domain/schema/default-mappings';
import type { FieldMappingInput } from '../../../src/domain/schema/field-mapping';
import { DEFAULT_SYNC_RULES, parseSyncRules, type SyncRules } from '../../../src/domain/schema/sync-rules';
import { createHubspotSimulator, type HubspotSimulator } from '../../../src/sandbox/hubspot';
import { connectSdkClient } from '../../../src/sandbox/hubspot/sdk-client';
import { openStore, type SyncStore } from '../../../src/store';
import { simAdmin, startCaptureServer, unique } from './harness';

const CLIENT = { clientId: 'cid', clientSecret: 'deal-secret' };
const APP_ID = 4343;

/** The default rules with the deal stage mapping's transform (or the whole mapping) replaced. */
function rulesWithStage(stage: Partial<FieldMappingInput> | null): SyncRules {
  const deal = DEFAULT_DEAL_MAPPINGS.flatMap((mapping) => (mapping.name !== 'stage' ? [mapping] : stage === null ? [] : [{ ...mapping, ...stage }]));
  return parseSyncRules({ mappings: { deal } });
}

describe('HubSpot connector: deals', () => {
  let sim: HubspotSimulator;
  let store: SyncStore;
  let hubspot: CrmConnector;
  let sdk: Client;
  let capture: Awaited<ReturnType<typeof startCaptureServer>>;

  const connectorFor = (rules: SyncRules): CrmConnector =>
    createHubspotConnector({
      rules,
      basePath: sim.url,
      tokens: createTokenProvider({ system: 'hubspot', store, refreshTokenFromConfig: 'refresh-1', exchange: hubspotTokenExchange({ basePath: sim.url, ...CLIENT }) }),
    });

  /** The deal's associated partners of one type, with the type ids read from the deal's side. */
  const associated = async (dealId: string, to: 'contacts' | 'companies'): Promise<Record<string, number[]>> => {
    const page = await sdk.crm.associations.v4.basicApi.getPage('deals', dealId, to, undefined, 500);
    return Object.fromEntries(page.results.map((r) => [String(r.toObjectId), r.associationTypes.map((t) => t.typeId).sort((a, b) => a - b)]));
  };

  const newCompany = async (name: string): Promise<string> => (await hubspot.create('company', { name }, { crossRefs: { shop: unique('b') } })).id;
  const newContact = async (): Promise<string> =>
    (await hubspot.create('contact', { email: `${unique('buyer')}@example.com`, lastName: 'Buyer' }, { crossRefs: { shop: unique('u') } })).id;

  beforeAll(async () => {
    capture = await startCaptureServer();
    sim = await createHubspotSimulator({
      port: 0,
      ...CLIENT,
      refreshToken: 'refresh-1',
      appId: APP_ID,
      searchIndexDelayMs: 0,
      rateLimit: { perTenSeconds: 10_000, searchPerSecond: 1000 },
      webhook: { targetUrl: `${capture.url}/webhooks/hubspot`, batchDelayMs: 0 },
    });
    store = await openStore({});
    hubspot = connectorFor(DEFAULT_SYNC_RULES);
    await hubspot.ensureSchema();
    sdk = await connectSdkClient(sim);
  });

  afterAll(async () => {
    await sim.close();
    await Promise.all([store.close(), capture.close()]);
  });

  describe('ensureSchema', () => {
    it.each([
      ['contacts', 'shop_user_id'],
      ['companies', 'shop_business_id'],
      ['deals', 'shop_purchase_id'],
      ['deals', 'zoho_record_id'],
    ])('creates the unique cross-reference property of %s %s', async (objectType, name) => {
      const property = await sdk.crm.properties.coreApi.getByName(objectType, name);
      expect(property).toMatchObject({ name, hasUniqueValue: true, type: 'string' });
    });

    it('accepts stage tables whose stages the default pipeline has, whichever system spells them', async () => {
      await expect(hubspot.ensureSchema()).resolves.toBeUndefined();
      const ownTable = rulesWithStage({ transform: { kind: 'enum', tables: { hubspot: { toWire: { won: 'closedwon', lost: 'closedlost' } } } } });
      await expect(connectorFor(ownTable).ensureSchema()).resolves.toBeUndefined();
    });

    it('refuses a stage table naming a stage the pipeline lacks, naming it and the stages there are', async () => {
      const shopTable = rulesWithStage({
        transform: { kind: 'enum', tables: { shop: { toWire: { contractsent: 'pending', closedwon: 'paid', shipped: 'fulfilled' } } }, unmapped: 'drop' },
      });
      const error = await connectorFor(shopTable).ensureSchema().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PermanentCrmError);
      expect(String(error)).toMatch(/deal pipeline "default" has no stage "shipped"/);
      expect(String(error)).toContain('appointmentscheduled, qualifiedtobuy, presentationscheduled, decisionmakerboughtin, contractsent, closedwon, closedlost');
      expect(String(error)).not.toMatch(/"closedwon"/);

      // HubSpot's own table: its values are what HubSpot is sent
      const ownTable = rulesWithStage({ transform: { kind: 'enum', tables: { hubspot: { toWire: { won: 'closedwon', lost: 'lost' } } } } });
      await expect(connectorFor(ownTable).ensureSchema()).rejects.toThrow(/has no stage "lost"/);

      // a mapped pipeline: the stage only has to exist in one of the account's pipelines
      const withPipeline = parseSyncRules({
        mappings: { deal: [...shopTable.mappings.deal, { name: 'pipeline', systems: { hubspot: { field: 'pipeline', direction: 'to' } } }] },
      });
      await expect(connectorFor(withPipeline).ensureSchema()).rejects.toThrow(/No HubSpot deal pipeline has stage "shipped"/);
    });

    it('does not read the pipelines when the rules write no stage', async () => {
      const routes = async (): Promise<number> => {
        const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as { requests: { byRoute: Record<string, number> } };
        return Object.entries(stats.requests.byRoute).filter(([route]) => route.includes('pipelines')).reduce((sum, [, n]) => sum + n, 0);
      };
      const before = await routes();
      await connectorFor(rulesWithStage(null)).ensureSchema();
      await connectorFor(rulesWithStage({ transform: 'trim' })).ensureSchema();
      expect(await routes()).toBe(before);
      await hubspot.ensureSchema();
      expect(await routes()).toBe(before + 1);
    });
  });

  it('creates a deal from the shop with its contact and primary company, in the default pipeline, idempotently', async () => {
    const [contactId, companyId] = await Promise.all([newContact(), newCompany('Purchaser Inc')]);
    const purchaseId = unique('p');
    const fields = { name: 'Order 1001', amount: '120.5', currency: 'EUR', stage: 'closedwon' };
    const created = await hubspot.create('deal', fields, { crossRefs: { shop: purchaseId }, contactId, companyId });
    expect(created.created).toBe(true);

    const read = await hubspot.get('deal', created.id);
    expect(read).toEqual({
      ref: { system: 'hubspot', object: 'deal', id: created.id },
      version: created.version,
      modifiedAt: created.modifiedAt,
      fields: expect.objectContaining(fields),
      contactId,
      companyId,
      crossRefs: { shop: purchaseId },
    });
    expect(await associated(created.id, 'companies')).toEqual({ [companyId]: [5, 341] });
    expect(await associated(created.id, 'contacts')).toEqual({ [contactId]: [3] });
    const deal = await sdk.crm.objects.basicApi.getById('deals', created.id, ['pipeline', 'shop_purchase_id']);
    expect(deal.properties).toMatchObject({ pipeline: 'default', shop_purchase_id: purchaseId });

    // a retried create finds the deal its first attempt made, by shop_purchase_id
    const retried = await hubspot.create('deal', fields, { crossRefs: { shop: purchaseId }, contactId, companyId });
    expect(retried).toMatchObject({ id: created.id, created: false });

    // upserting by another system's new id collides on shop_purchase_id (HubSpot's 400 naming nobody): same deal
    const zohoId = unique('z');
    const throughZoho = await hubspot.create('deal', { ...fields, stage: 'contractsent' }, { crossRefs: { zoho: zohoId, shop: purchaseId } });
    expect(throughZoho).toMatchObject({ id: created.id, created: false });
    expect(await hubspot.get('deal', created.id)).toMatchObject({ fields: { stage: 'contractsent' }, crossRefs: { shop: purchaseId, zoho: zohoId }, contactId, companyId });

    // deals are never matched by keys
    expect(await hubspot.findMatch('deal', { name: 'Order 1001' })).toBeNull();
    expect(await hubspot.findMatches('deal', [{ name: 'Order 1001' }, {}])).toEqual([null, null]);
  });

  it('moves and removes a deal’s company and contact, leaving associations made by hand', async () => {
    const [a, b, byHand] = await Promise.all(['Deal Co A', 'Deal Co B', 'Deal Co By Hand'].map(newCompany));
    const [first, second] = await Promise.all([newContact(), newContact()]);
    if (!a || !b || !byHand || !first || !second) throw new Error('records not created');
    const created = await hubspot.create('deal', { name: 'Order 1002', stage: 'contractsent' }, { crossRefs: { shop: unique('p') }, contactId: first, companyId: a });
    await sdk.crm.associations.v4.basicApi.createDefault('deals', created.id, 'companies', byHand);

    const moved = await hubspot.update('deal', created.id, {}, { companyId: b, contactId: second });
    const read = await hubspot.get('deal', created.id);
    expect(read).toMatchObject({ companyId: b, contactId: second });
    expect(read?.version).toBe(moved.version);
    expect(await associated(created.id, 'companies')).toEqual({ [b]: [5, 341], [byHand]: [341] });
    expect(await associated(created.id, 'contacts')).toEqual({ [second]: [3] });

    // nothing moves: the version stays
    const same = await hubspot.update('deal', created.id, {}, { companyId: b, contactId: second });
    expect(same.version).toBe(moved.version);

    await hubspot.update('deal', created.id, { stage: 'closedlost' }, { companyId: null, contactId: null });
    expect(await associated(created.id, 'companies')).toEqual({ [byHand]: [341] });
    expect(await hubspot.get('deal', created.id)).toMatchObject({ fields: { stage: 'closedlost' }, contactId: null, companyId: byHand });
  });

  it('writes, reads and lists deals in batches with their references', async () => {
    const since = new Date().toISOString();
    const [a, b] = await Promise.all(['Batch Co A', 'Batch Co B'].map(newCompany));
    const contact = await newContact();
    if (!a || !b) throw new Error('companies not created');
    const inputs = [
      { fields: { name: 'Batch 1', stage: 'contractsent' }, links: { crossRefs: { shop: unique('p') }, contactId: contact, companyId: a } },
      { fields: { name: 'Batch 2', stage: 'closedwon' }, links: { crossRefs: { shop: unique('p') }, companyId: b } },
      { fields: { name: 'Batch 3', stage: 'closedwon' }, links: { crossRefs: { shop: unique('p') } } },
    ];
    const outcomes = await hubspot.createMany('deal', inputs);
    const ids = outcomes.map((outcome) => (outcome.ok ? outcome.result.id : `refused: ${outcome.error.message}`));
    expect(outcomes.map((outcome) => outcome.ok && outcome.result.created)).toEqual([true, true, true]);
    const [d1 = '', d2 = '', d3 = ''] = ids;
    expect(await associated(d1, 'companies')).toEqual({ [a]: [5, 341] });

    // retried: the same deals, nothing new
    const again = await hubspot.createMany('deal', inputs);
    expect(again.map((outcome) => outcome.ok && outcome.result.id)).toEqual(ids);
    expect(again.map((outcome) => outcome.ok && outcome.result.created)).toEqual([false, false, false]);

    const updated = await hubspot.updateMany('deal', [
      { id: d1, fields: {}, links: { companyId: b, contactId: null } },
      { id: d3, fields: { stage: 'closedlost' }, links: { contactId: contact } },
    ]);
    expect(updated.every((outcome) => outcome.ok)).toBe(true);

    const many = await hubspot.getMany('deal', [d1, d2, d3, '999999999']);
    const byId = new Map(many.map((snapshot) => [snapshot.ref.id, snapshot]));
    expect(many).toHaveLength(3);
    expect(byId.get(d1)).toMatchObject({ fields: { name: 'Batch 1' }, contactId: null, companyId: b });
    expect(byId.get(d2)).toMatchObject({ fields: { name: 'Batch 2' }, contactId: null, companyId: b });
    expect(byId.get(d3)).toMatchObject({ fields: { name: 'Batch 3', stage: 'closedlost' }, contactId: contact, companyId: null });
    expect(await associated(d1, 'companies')).toEqual({ [b]: [5, 341] });

    const listed: Record<string, unknown>[] = [];
    let cursor: string | undefined;
    do {
      const page = await hubspot.listPage('deal', { limit: 2, modifiedAfter: since, ...(cursor ? { cursor } : {}) });
      listed.push(...page.records.map((r) => ({ id: r.ref.id, contactId: r.contactId, companyId: r.companyId })));
      cursor = page.nextCursor;
    } while (cursor);
    expect(listed).toEqual([
      { id: d1, contactId: null, companyId: b },
      { id: d2, contactId: null, companyId: b },
      { id: d3, contactId: contact, companyId: null },
    ]);
    expect(await hubspot.count('deal', { modifiedAfter: since })).toBe(3);
  });

  it('parses the deal webhooks HubSpot delivers: association changes on any side signal the deal', async () => {
    const admin = simAdmin(sim.url);
    await admin.drainWebhooks();
    capture.requests.length = 0;
    const [contactId, companyId] = await Promise.all([newContact(), newCompany('Hooked Co')]);
    const created = await hubspot.create('deal', { name: 'Hooked', stage: 'contractsent' }, { crossRefs: { shop: unique('p') }, contactId, companyId });
    await hubspot.update('deal', created.id, { stage: 'closedwon' }, {});
    await hubspot.archive('deal', created.id);
    await admin.drainWebhooks();

    const events = capture.requests.flatMap((request) => {
      const header = (name: string): string | undefined => {
        const value = request.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      const verdict = verifyHubspotSignature({
        method: request.method,
        url: `${capture.url}${request.url}`,
        rawBody: request.rawBody,
        signatureV3: header('x-hubspot-signature-v3'),
        timestamp: header('x-hubspot-request-timestamp'),
        clientSecret: CLIENT.clientSecret,
        now: Date.now(),
      });
      expect(verdict).toEqual({ ok: true });
      const parsed = parseHubspotEvents(JSON.parse(request.rawBody.toString('utf8')));
      expect(parsed.ignored).toBe(0);
      return parsed.events;
    });
    const aboutDeal = events.filter((event) => event.objectType === 'deal');
    expect(aboutDeal).toContainEqual(expect.objectContaining({ objectId: created.id, kind: 'create', subscriptionType: 'deal.creation', appId: String(APP_ID) }));
    expect(aboutDeal).toContainEqual(expect.objectContaining({ objectId: created.id, kind: 'change', propertyName: 'dealstage' }));
    expect(aboutDeal).toContainEqual(expect.objectContaining({ objectId: created.id, kind: 'delete', subscriptionType: 'deal.deletion' }));
    // both sides of deal ↔ contact and deal ↔ company (primary and unlabeled): every one about the deal
    const associations = events.filter((event) => event.kind === 'association');
    expect(new Set(associations.map((event) => event.subscriptionType))).toEqual(
      new Set(['deal.associationChange', 'contact.associationChange', 'company.associationChange']),
    );
    for (const event of associations) expect(event).toMatchObject({ objectType: 'deal', objectId: created.id });
  });

  it('parses deal merge and restore, and a deal association change delivered from the other side only', () => {
    const { events, ignored } = parseHubspotEvents([
      { eventId: 1, subscriptionType: 'deal.merge', occurredAt: 1, objectId: 70, primaryObjectId: 70, mergedObjectIds: [71] },
      { eventId: 2, subscriptionType: 'deal.restore', occurredAt: 1, objectId: 72 },
      { eventId: 3, subscriptionType: 'company.associationChange', occurredAt: 1, associationType: 'COMPANY_TO_DEAL', fromObjectId: 9, toObjectId: 73 },
      { eventId: 4, subscriptionType: 'contact.associationChange', occurredAt: 1, associationType: 'CONTACT_TO_DEAL', fromObjectId: 8, toObjectId: 74, associationRemoved: true },
      { eventId: 5, subscriptionType: 'deal.associationChange', occurredAt: 1, associationType: 'DEAL_TO_COMPANY_UNLABELED', fromObjectId: 75, toObjectId: 9 },
      { eventId: 6, subscriptionType: 'deal.associationChange', occurredAt: 1, associationType: 'DEAL_TO_LINE_ITEM', fromObjectId: 76, toObjectId: 5 },
      { eventId: 7, subscriptionType: 'deal.privacyDeletion', occurredAt: 1, objectId: 77 },
    ]);
    expect(ignored).toBe(0);
    expect(events.map(({ objectType, objectId, kind }) => ({ objectType, objectId, kind }))).toEqual([
      { objectType: 'deal', objectId: '70', kind: 'change' },
      { objectType: 'deal', objectId: '72', kind: 'create' },
      { objectType: 'deal', objectId: '73', kind: 'association' },
      { objectType: 'deal', objectId: '74', kind: 'association' },
      { objectType: 'deal', objectId: '75', kind: 'association' },
      { objectType: 'deal', objectId: '76', kind: 'association' },
      { objectType: 'deal', objectId: '77', kind: 'delete' },
    ]);
  });
});
