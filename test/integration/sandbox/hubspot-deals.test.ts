import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum as Category, FilterOperatorEnum as Op } from '@hubspot/api-client/lib/codegen/crm/deals';
import { PropertyCreateFieldTypeEnum, PropertyCreateTypeEnum } from '@hubspot/api-client/lib/codegen/crm/properties';
import { createHubspotSimulator, type HubspotSimulator } from '../../../src/sandbox/hubspot';
import { connectSdkClient } from '../../../src/sandbox/hubspot/sdk-client';
import { failure, simJson } from './hubspot-test-client';

let sim: HubspotSimulator;
let hs: Client;

beforeAll(async () => {
  sim = await createHubspotSimulator({ port: 0, searchIndexDelayMs: 0, rateLimit: { perTenSeconds: 10_000, searchPerSecond: 100 } });
  hs = await connectSdkClient(sim);
});
afterAll(() => sim.close());
beforeEach(() => fetch(`${sim.url}/_sim/reset`, { method: 'POST' }));

/** The property verdicts HubSpot embeds in a 400's message: "Property values were not valid: [...]". */
const verdicts = (body: unknown): Array<{ name: string; error: string }> => {
  const message = (body as { message: string }).message;
  return JSON.parse(message.slice(message.indexOf('['))) as Array<{ name: string; error: string }>;
};

const createShopOrderId = () =>
  hs.crm.properties.coreApi.create('deals', {
    name: 'shop_order_id', label: 'Shop order id', type: PropertyCreateTypeEnum.String, fieldType: PropertyCreateFieldTypeEnum.Text, groupName: 'dealinformation', hasUniqueValue: true,
  });

describe('deals through @hubspot/api-client', () => {
  test('CRUD: the default pipeline is filled in, reads give HubSpot\'s default deal properties, hs_lastmodifieddate moves', async () => {
    const created = await hs.crm.deals.basicApi.create({ properties: { dealname: 'Order #1', dealstage: 'appointmentscheduled', amount: '120.50', deal_currency_code: 'EUR' }, associations: [] });
    expect(created.id).toMatch(/^\d+$/);
    expect(created.properties).toMatchObject({ dealname: 'Order #1', pipeline: 'default', hs_object_id: created.id });

    const read = await hs.crm.deals.basicApi.getById(created.id);
    expect(Object.keys(read.properties).sort()).toEqual(['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline']);
    expect(read.properties).toMatchObject({ amount: '120.50', dealstage: 'appointmentscheduled', closedate: null });

    const updated = await hs.crm.deals.basicApi.update(created.id, { properties: { dealstage: 'closedwon', closedate: '2026-11-30T12:00:00Z' } });
    expect(updated.properties).toMatchObject({ dealstage: 'closedwon', closedate: '2026-11-30T12:00:00.000Z' });
    expect(Date.parse(updated.properties.hs_lastmodifieddate ?? '')).toBeGreaterThan(Date.parse(created.properties.hs_lastmodifieddate ?? ''));
    expect(updated.updatedAt.getTime()).toBe(Date.parse(updated.properties.hs_lastmodifieddate ?? ''));

    // The singular and the numeric type id name the same object.
    const page = await hs.crm.objects.basicApi.getPage('0-3', 10);
    expect(page.results.map((r) => r.id)).toEqual([created.id]);
    expect((await hs.crm.objects.basicApi.getById('deal', created.id, ['deal_currency_code'])).properties.deal_currency_code).toBe('EUR');

    await hs.crm.deals.basicApi.archive(created.id);
    expect((await failure(hs.crm.deals.basicApi.getById(created.id))).code).toBe(404);
    expect((await hs.crm.deals.basicApi.getById(created.id, undefined, undefined, undefined, true)).archived).toBe(true);
  });

  test('dealname and dealstage are required, and the stage must belong to the pipeline (400 VALIDATION_ERROR)', async () => {
    const missing = await failure(hs.crm.deals.basicApi.create({ properties: { amount: '5' }, associations: [] }));
    expect(missing.code).toBe(400);
    expect(missing.body).toMatchObject({ category: 'VALIDATION_ERROR' });
    expect(verdicts(missing.body).map((v) => v.name).sort()).toEqual(['dealname', 'dealstage']);

    const badStage = await failure(hs.crm.deals.basicApi.create({ properties: { dealname: 'X', dealstage: 'negotiation' }, associations: [] }));
    expect(badStage.code).toBe(400);
    expect(verdicts(badStage.body)).toEqual([expect.objectContaining({ name: 'dealstage', error: 'INVALID_OPTION' })]);
    const badPipeline = await failure(hs.crm.deals.basicApi.create({ properties: { dealname: 'X', dealstage: 'closedwon', pipeline: 'enterprise' }, associations: [] }));
    expect(badPipeline.code).toBe(400);

    const deal = await hs.crm.deals.basicApi.create({ properties: { dealname: 'Keep', dealstage: 'qualifiedtobuy' }, associations: [] });
    const cleared = await failure(hs.crm.deals.basicApi.update(deal.id, { properties: { dealname: '' } }));
    expect(cleared.code).toBe(400);
    expect(verdicts(cleared.body).map((v) => v.name)).toEqual(['dealname']);
    // Batch create is checked the same way, and nothing is written.
    const batch = await failure(hs.crm.deals.batchApi.create({ inputs: [
      { properties: { dealname: 'Fine', dealstage: 'closedlost' }, associations: [] },
      { properties: { dealname: 'No stage' }, associations: [] },
    ] }));
    expect(batch.code).toBe(400);
    expect((await hs.crm.deals.basicApi.getPage()).results.map((r) => r.id)).toEqual([deal.id]);
  });

  test('properties: the default deal properties, and a custom hasUniqueValue one usable as idProperty and for batch upsert', async () => {
    const names = (await hs.crm.properties.coreApi.getAll('deals')).results.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['dealname', 'amount', 'deal_currency_code', 'dealstage', 'pipeline', 'closedate', 'createdate', 'hs_lastmodifieddate', 'hs_object_id']));
    const stage = await hs.crm.properties.coreApi.getByName('deals', 'dealstage');
    expect(stage.options.map((o) => o.value)).toEqual(['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent', 'closedwon', 'closedlost']);
    expect((await createShopOrderId()).hasUniqueValue).toBe(true);

    const upserted = await hs.crm.deals.batchApi.upsert({ inputs: [
      { id: 'order-1', idProperty: 'shop_order_id', properties: { dealname: 'Order 1', dealstage: 'appointmentscheduled' } },
      { id: 'order-2', idProperty: 'shop_order_id', properties: { dealname: 'Order 2', dealstage: 'contractsent' } },
    ] });
    expect(upserted.results.map((r) => [r.properties.shop_order_id, r._new]).sort()).toEqual([['order-1', true], ['order-2', true]]);
    const first = upserted.results.find((r) => r.properties.shop_order_id === 'order-1');

    // Again by the same key: the existing deal is updated, its stage alone is enough.
    const again = await hs.crm.deals.batchApi.upsert({ inputs: [{ id: 'order-1', idProperty: 'shop_order_id', properties: { dealstage: 'closedwon' } }] });
    expect(again.results[0]).toMatchObject({ id: first?.id, _new: false });
    const byKey = await hs.crm.deals.basicApi.getById('order-1', ['dealstage', 'dealname'], undefined, undefined, false, 'shop_order_id');
    expect(byKey.properties).toMatchObject({ dealstage: 'closedwon', dealname: 'Order 1' });
    // A new deal by upsert still needs its name and stage.
    expect((await failure(hs.crm.deals.batchApi.upsert({ inputs: [{ id: 'order-3', idProperty: 'shop_order_id', properties: { amount: '1' } }] }))).code).toBe(400);
  });

  test('a second deal with a taken unique value: 400 "already has that value" naming no record; 409 with the id as an option', async () => {
    await createShopOrderId();
    const holder = await hs.crm.deals.basicApi.create({ properties: { dealname: 'A', dealstage: 'closedwon', shop_order_id: 'o-1' }, associations: [] });
    const clash = await failure(hs.crm.deals.basicApi.create({ properties: { dealname: 'B', dealstage: 'closedwon', shop_order_id: 'o-1' }, associations: [] }));
    expect(clash.code).toBe(400);
    expect(clash.body).toMatchObject({ category: 'VALIDATION_ERROR', message: expect.stringContaining('already has that value') });
    expect(JSON.stringify(clash.body)).not.toContain(holder.id);
    const other = await hs.crm.deals.basicApi.create({ properties: { dealname: 'C', dealstage: 'closedwon' }, associations: [] });
    expect((await failure(hs.crm.deals.basicApi.update(other.id, { properties: { shop_order_id: 'o-1' } }))).code).toBe(400);

    sim.options.uniqueConflictStatus = 409;
    try {
      const named = await failure(hs.crm.deals.basicApi.create({ properties: { dealname: 'B', dealstage: 'closedwon', shop_order_id: 'o-1' }, associations: [] }));
      expect(named.code).toBe(409);
      expect(named.body).toMatchObject({ category: 'CONFLICT', message: expect.stringContaining(`Existing ID: ${holder.id}`) });
    } finally {
      sim.options.uniqueConflictStatus = 400;
    }
  });

  test('search finds deals by stage and by free text on the deal name', async () => {
    const won = await hs.crm.deals.basicApi.create({ properties: { dealname: 'Bicycle order', dealstage: 'closedwon', amount: '900' }, associations: [] });
    await hs.crm.deals.basicApi.create({ properties: { dealname: 'Helmet order', dealstage: 'appointmentscheduled', amount: '40' }, associations: [] });
    const byStage = await hs.crm.deals.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'dealstage', operator: Op.Eq, value: 'closedwon' }] }], properties: ['dealname', 'amount'], limit: 10 });
    expect(byStage.total).toBe(1);
    expect(byStage.results[0]).toMatchObject({ id: won.id, properties: expect.objectContaining({ dealname: 'Bicycle order', amount: '900' }) });
    const byAmount = await hs.crm.deals.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'amount', operator: Op.Gt, value: '100' }] }], limit: 10 });
    expect(byAmount.results.map((r) => r.id)).toEqual([won.id]);
    expect((await hs.crm.deals.searchApi.doSearch({ query: 'bicy', limit: 10 })).results.map((r) => r.id)).toEqual([won.id]);
  });

  test('pipelines: getAll("deals") and getById parse in the SDK; unknown pipelines are 404, objects without pipelines 400', async () => {
    const all = await hs.crm.pipelines.pipelinesApi.getAll('deals');
    expect(all.results).toHaveLength(1);
    const [pipeline] = all.results;
    expect(pipeline).toMatchObject({ id: 'default', label: 'Sales Pipeline', displayOrder: 0, archived: false });
    expect(pipeline?.createdAt).toBeInstanceOf(Date);
    expect(pipeline?.stages.map((s) => [s.id, s.displayOrder, s.metadata?.isClosed, s.metadata?.probability])).toEqual([
      ['appointmentscheduled', 0, 'false', '0.2'],
      ['qualifiedtobuy', 1, 'false', '0.4'],
      ['presentationscheduled', 2, 'false', '0.6'],
      ['decisionmakerboughtin', 3, 'false', '0.8'],
      ['contractsent', 4, 'false', '0.9'],
      ['closedwon', 5, 'true', '1.0'],
      ['closedlost', 6, 'true', '0.0'],
    ]);
    expect(pipeline?.stages.find((s) => s.id === 'closedwon')?.label).toBe('Closed Won');
    expect((await hs.crm.pipelines.pipelinesApi.getById('deals', 'default')).stages).toHaveLength(7);
    expect((await failure(hs.crm.pipelines.pipelinesApi.getById('deals', 'enterprise'))).code).toBe(404);
    expect((await failure(hs.crm.pipelines.pipelinesApi.getAll('contacts'))).code).toBe(400);
  });

  test('snapshots keep deals, their custom properties and their associations across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hs-deals-snapshot-'));
    const file = join(dir, 'hubspot.json');
    try {
      const first = await createHubspotSimulator({ port: 0, snapshotFile: file });
      const client = await connectSdkClient(first);
      await client.crm.properties.coreApi.create('deals', {
        name: 'shop_order_id', label: 'Shop order id', type: PropertyCreateTypeEnum.String, fieldType: PropertyCreateFieldTypeEnum.Text, groupName: 'dealinformation', hasUniqueValue: true,
      });
      const company = await client.crm.companies.basicApi.create({ properties: { name: 'Kept Co' }, associations: [] });
      const deal = await client.crm.deals.basicApi.create({
        properties: { dealname: 'Kept', dealstage: 'contractsent', shop_order_id: 'k-1' },
        associations: [{ to: { id: company.id }, types: [{ associationCategory: Category.HubspotDefined, associationTypeId: 5 }] }],
      });
      await first.close();

      const second = await createHubspotSimulator({ port: 0, snapshotFile: file });
      try {
        const again = await connectSdkClient(second);
        const read = await again.crm.deals.basicApi.getById('k-1', ['dealname', 'dealstage'], undefined, ['companies'], false, 'shop_order_id');
        expect(read).toMatchObject({ id: deal.id, properties: expect.objectContaining({ dealname: 'Kept', dealstage: 'contractsent' }) });
        expect(read.associations?.companies?.results.map((r) => r.type).sort()).toEqual(['deal_to_company', 'deal_to_company_unlabeled']);
        const next = await again.crm.deals.basicApi.create({ properties: { dealname: 'After', dealstage: 'closedlost' }, associations: [] });
        expect(Number(next.id)).toBeGreaterThan(Number(deal.id));
        expect(await simJson<unknown[]>(second, 'GET', '/_sim/records/deals')).toHaveLength(2);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a snapshot written before deals existed still loads, its [contact, company, types] associations included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hs-legacy-snapshot-'));
    const file = join(dir, 'hubspot.json');
    const record = (id: string, properties: Record<string, string>) => ({ id, properties: { ...properties, hs_object_id: id }, createdAt: 1, updatedAt: 2, archived: false, createdBy: 'API' });
    writeFileSync(file, JSON.stringify({
      version: 1,
      records: { contacts: [record('1001', { email: 'old@example.com' })], companies: [record('5000001', { name: 'Old Co' })] },
      associations: [['1001', '5000001', [1, 279]]],
      customProperties: { contacts: [], companies: [] },
    }));
    try {
      const old = await createHubspotSimulator({ port: 0, snapshotFile: file });
      try {
        const client = await connectSdkClient(old);
        const page = await client.crm.associations.v4.basicApi.getPage('contacts', '1001', 'companies');
        expect(page.results.map((r) => [String(r.toObjectId), r.associationTypes.map((t) => t.typeId).sort((x, y) => x - y)])).toEqual([['5000001', [1, 279]]]);
        const deal = await client.crm.deals.basicApi.create({ properties: { dealname: 'New', dealstage: 'closedwon' }, associations: [] });
        expect(deal.id).toBe('9000001');
      } finally {
        await old.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
