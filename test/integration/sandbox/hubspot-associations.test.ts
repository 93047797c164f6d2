import type { Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum as Category } from '@hubspot/api-client/lib/codegen/crm/associations/v4';
import { createHubspotSimulator, type HubspotSimulator } from '../../../src/sandbox/hubspot';
import { connectSdkClient } from '../../../src/sandbox/hubspot/sdk-client';

let sim: HubspotSimulator;
let hs: Client;
let contactId: string;
let companyA: string;
let companyB: string;

beforeAll(async () => {
  sim = await createHubspotSimulator({ port: 0, rateLimit: { perTenSeconds: 10_000, searchPerSecond: 100 } });
  hs = await connectSdkClient(sim);
});
afterAll(() => sim.close());
beforeEach(async () => {
  await fetch(`${sim.url}/_sim/reset`, { method: 'POST' });
  contactId = (await hs.crm.contacts.basicApi.create({ properties: { email: 'assoc@example.com' }, associations: [] })).id;
  companyA = (await hs.crm.companies.basicApi.create({ properties: { name: 'A' }, associations: [] })).id;
  companyB = (await hs.crm.companies.basicApi.create({ properties: { name: 'B' }, associations: [] })).id;
});

const typeIdsOf = async (from: 'contacts' | 'companies', id: string, to: 'contacts' | 'companies') => {
  const page = await hs.crm.associations.v4.basicApi.getPage(from, id, to);
  return page.results.map((r) => ({ to: String(r.toObjectId), types: r.associationTypes.map((t) => t.typeId).sort((a, b) => a - b) }));
};

describe('associations v4 between contacts and companies', () => {
  test('labelled PUT (201) as primary, visible from both sides and on a v3 GET with associations=companies', async () => {
    const labels = await hs.crm.associations.v4.basicApi.create('contacts', contactId, 'companies', companyA, [
      { associationCategory: Category.HubspotDefined, associationTypeId: 1 },
    ]);
    expect(labels.labels).toEqual(['Primary']);
    expect(await typeIdsOf('contacts', contactId, 'companies')).toEqual([{ to: companyA, types: [1, 279] }]);
    expect(await typeIdsOf('companies', companyA, 'contacts')).toEqual([{ to: contactId, types: [2, 280] }]);

    const contact = await hs.crm.contacts.basicApi.getById(contactId, undefined, undefined, ['companies']);
    const entries = contact.associations?.companies?.results.map((r) => `${r.id}:${r.type}`).sort();
    expect(entries).toEqual([`${companyA}:contact_to_company`, `${companyA}:contact_to_company_unlabeled`]);
  });

  test('default PUT (200) adds 279/280; a new primary replaces the old one; archive removes the pair', async () => {
    const def = await hs.crm.associations.v4.basicApi.createDefault('contacts', contactId, 'companies', companyB);
    expect(def.results.map((r) => r.associationSpec.associationTypeId).sort()).toEqual([279, 280]);
    await hs.crm.associations.v4.basicApi.create('companies', companyA, 'contacts', contactId, [
      { associationCategory: Category.HubspotDefined, associationTypeId: 2 },
    ]);
    await hs.crm.associations.v4.basicApi.create('contacts', contactId, 'companies', companyB, [
      { associationCategory: Category.HubspotDefined, associationTypeId: 1 },
    ]);
    expect(await typeIdsOf('contacts', contactId, 'companies')).toEqual([
      { to: companyA, types: [279] },
      { to: companyB, types: [1, 279] },
    ]);
    await hs.crm.associations.v4.basicApi.archive('contacts', contactId, 'companies', companyB);
    expect(await typeIdsOf('contacts', contactId, 'companies')).toEqual([{ to: companyA, types: [279] }]);
  });

  test('batch read (200, or 207 for inputs with none) and create-time associations', async () => {
    const other = await hs.crm.contacts.basicApi.create({
      properties: { email: 'created-with@example.com' },
      associations: [{ to: { id: companyA }, types: [{ associationCategory: Category.HubspotDefined, associationTypeId: 279 }] }],
    });
    const read = await hs.crm.associations.v4.batchApi.getPage('companies', 'contacts', { inputs: [{ id: companyA }] });
    expect(read.results.map((r) => r.to.map((t) => String(t.toObjectId)))).toEqual([[other.id]]);

    const mixed = await hs.crm.associations.v4.batchApi.getPage('companies', 'contacts', { inputs: [{ id: companyA }, { id: companyB }] });
    expect(mixed.results).toHaveLength(1);
    expect(mixed).toMatchObject({ numErrors: 1 });
  });

  test('refuses a type id from the wrong side and unknown records', async () => {
    const wrongSide = hs.crm.associations.v4.basicApi.create('contacts', contactId, 'companies', companyA, [
      { associationCategory: Category.HubspotDefined, associationTypeId: 280 },
    ]);
    await expect(wrongSide).rejects.toMatchObject({ code: 400 });
    await expect(hs.crm.associations.v4.basicApi.createDefault('contacts', contactId, 'companies', '123')).rejects.toMatchObject({ code: 404 });
  });
});
