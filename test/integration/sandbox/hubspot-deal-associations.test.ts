import type { Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum as Category } from '@hubspot/api-client/lib/codegen/crm/associations/v4';
import express from 'express';
import { listen, type RunningServer } from '../../../src/sandbox/common/http-server';
import { createHubspotSimulator, type HubspotEvent, type HubspotSimulator } from '../../../src/sandbox/hubspot';
import { connectSdkClient } from '../../../src/sandbox/hubspot/sdk-client';
import { failure, simJson, simRequest } from './hubspot-test-client';

/** A real HTTP receiver for the simulator's webhooks. */
let receiver: RunningServer;
let received: HubspotEvent[] = [];
let sim: HubspotSimulator;
let hs: Client;
let contactId: string;
let companyA: string;
let companyB: string;

beforeAll(async () => {
  const app = express();
  app.post('/hooks', express.json(), (req, res) => {
    received.push(...(req.body as HubspotEvent[]));
    res.status(200).end();
  });
  receiver = await listen(app, '127.0.0.1', 0);
  sim = await createHubspotSimulator({
    port: 0,
    webhook: { targetUrl: `${receiver.url}/hooks`, batchDelayMs: 10 },
    rateLimit: { perTenSeconds: 10_000, searchPerSecond: 100 },
  });
  hs = await connectSdkClient(sim);
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});
beforeEach(async () => {
  await fetch(`${sim.url}/_sim/reset`, { method: 'POST' });
  contactId = (await hs.crm.contacts.basicApi.create({ properties: { email: 'buyer@example.com' }, associations: [] })).id;
  companyA = (await hs.crm.companies.basicApi.create({ properties: { name: 'A' }, associations: [] })).id;
  companyB = (await hs.crm.companies.basicApi.create({ properties: { name: 'B' }, associations: [] })).id;
  await drained();
  received = [];
});

const drained = () => fetch(`${sim.url}/_sim/webhooks/drain`, { method: 'POST' });
const events = async (): Promise<HubspotEvent[]> => {
  await drained();
  return [...received].sort((a, b) => a.eventId - b.eventId);
};
const spec = (associationTypeId: number) => ({ associationCategory: Category.HubspotDefined, associationTypeId });
const typeIdsOf = async (from: string, id: string, to: string) => {
  const page = await hs.crm.associations.v4.basicApi.getPage(from, id, to);
  return page.results.map((r) => ({ to: String(r.toObjectId), types: r.associationTypes.map((t) => t.typeId).sort((a, b) => a - b) }));
};
const newDeal = async (dealname: string, associations: Array<{ to: { id: string }; types: Array<ReturnType<typeof spec>> }> = []) =>
  (await hs.crm.deals.basicApi.create({ properties: { dealname, dealstage: 'appointmentscheduled' }, associations })).id;

interface SimRecord {
  id: string;
  archived: boolean;
  associations?: Record<'contacts' | 'companies' | 'deals', string[]>;
}

describe('deal associations (v4, type ids 3/4, 5/6, 341/342)', () => {
  test('create-time associations infer the target from the type id and read back from every side, v4 and v3', async () => {
    const dealId = await newDeal('Order', [{ to: { id: contactId }, types: [spec(3)] }, { to: { id: companyA }, types: [spec(5)] }]);
    expect(await typeIdsOf('deals', dealId, 'contacts')).toEqual([{ to: contactId, types: [3] }]);
    expect(await typeIdsOf('contacts', contactId, 'deals')).toEqual([{ to: dealId, types: [4] }]);
    expect(await typeIdsOf('deals', dealId, 'companies')).toEqual([{ to: companyA, types: [5, 341] }]);
    expect(await typeIdsOf('companies', companyA, 'deals')).toEqual([{ to: dealId, types: [6, 342] }]);

    const deal = await hs.crm.deals.basicApi.getById(dealId, undefined, undefined, ['contacts', 'companies']);
    expect(deal.associations?.contacts?.results).toEqual([{ id: contactId, type: 'deal_to_contact' }]);
    expect(deal.associations?.companies?.results.map((r) => r.type).sort()).toEqual(['deal_to_company', 'deal_to_company_unlabeled']);
    const contact = await hs.crm.contacts.basicApi.getById(contactId, undefined, undefined, ['deals', 'companies']);
    expect(contact.associations?.deals?.results).toEqual([{ id: dealId, type: 'contact_to_deal' }]);
    expect(contact.associations?.companies).toBeUndefined();

    // A type id that does not start at a deal is refused before anything is written.
    const wrong = await failure(hs.crm.deals.basicApi.create({ properties: { dealname: 'X', dealstage: 'closedwon' }, associations: [{ to: { id: contactId }, types: [spec(4)] }] }));
    expect(wrong.code).toBe(400);
    expect((await hs.crm.deals.basicApi.getPage()).results).toHaveLength(1);
  });

  test('labelled PUT (201, "Primary"), default PUT (200), one primary company per deal, archive, batch read', async () => {
    const dealId = await newDeal('Order');
    const labels = await hs.crm.associations.v4.basicApi.create('deals', dealId, 'companies', companyA, [spec(5)]);
    expect(labels).toMatchObject({ fromObjectTypeId: '0-3', toObjectTypeId: '0-2', labels: ['Primary'] });
    const def = await hs.crm.associations.v4.basicApi.createDefault('deals', dealId, 'contacts', contactId);
    expect(def.results.map((r) => [r._from.id, r.to.id, r.associationSpec.associationTypeId])).toEqual([[dealId, contactId, 3], [contactId, dealId, 4]]);
    // From the company's side, 6 makes B the deal's primary company instead of A.
    await hs.crm.associations.v4.basicApi.create('companies', companyB, 'deals', dealId, [spec(6)]);
    expect(await typeIdsOf('deals', dealId, 'companies')).toEqual([{ to: companyA, types: [341] }, { to: companyB, types: [5, 341] }]);
    // Contact↔company type ids are refused between deals and companies.
    expect((await failure(hs.crm.associations.v4.basicApi.create('deals', dealId, 'companies', companyA, [spec(1)]))).code).toBe(400);

    const batch = await hs.crm.associations.v4.batchApi.getPage('companies', 'deals', { inputs: [{ id: companyA }, { id: companyB }] });
    expect(batch.results.map((r) => [r._from.id, r.to.map((t) => String(t.toObjectId))])).toEqual([[companyA, [dealId]], [companyB, [dealId]]]);

    await hs.crm.associations.v4.basicApi.archive('contacts', contactId, 'deals', dealId);
    expect(await typeIdsOf('deals', dealId, 'contacts')).toEqual([]);
    // Associations to an archived deal are hidden.
    await hs.crm.deals.basicApi.archive(dealId);
    expect(await typeIdsOf('companies', companyB, 'deals')).toEqual([]);
  });

  test('webhooks: deal.creation, deal.propertyChange, deal.associationChange on both sides, deal.deletion', async () => {
    const dealId = await newDeal('Hooked', [{ to: { id: contactId }, types: [spec(3)] }]);
    await hs.crm.deals.basicApi.update(dealId, { properties: { amount: '99' } });
    await hs.crm.associations.v4.basicApi.create('deals', dealId, 'companies', companyA, [spec(5)]);
    await hs.crm.deals.basicApi.archive(dealId);
    const seen = await events();
    const id = Number(dealId);
    const summary = seen.map((e) => [e.subscriptionType, e.propertyName ?? e.associationType ?? e.changeFlag, e.objectId ?? e.fromObjectId]);
    expect(summary).toEqual([
      ['deal.creation', 'NEW', id],
      ['deal.propertyChange', 'dealname', id],
      ['deal.propertyChange', 'dealstage', id],
      ['deal.propertyChange', 'pipeline', id],
      ['deal.associationChange', 'DEAL_TO_CONTACT', id],
      ['contact.associationChange', 'CONTACT_TO_DEAL', Number(contactId)],
      ['deal.propertyChange', 'amount', id],
      ['deal.associationChange', 'DEAL_TO_COMPANY', id],
      ['company.associationChange', 'COMPANY_TO_DEAL', Number(companyA)],
      ['deal.associationChange', 'DEAL_TO_COMPANY', id],
      ['company.associationChange', 'COMPANY_TO_DEAL', Number(companyA)],
      ['deal.deletion', 'DELETED', id],
    ]);
    // The unlabeled association comes first, then the primary one.
    expect(seen.filter((e) => e.associationType === 'DEAL_TO_COMPANY').map((e) => e.isPrimaryAssociation)).toEqual([false, true]);
    expect(seen.every((e) => e.changeSource === 'INTEGRATION' && e.sourceId === String(sim.options.appId))).toBe(true);
    expect(new Set(seen.filter((e) => e.subscriptionType.startsWith('deal.')).map((e) => e.subscriptionId)).size).toBe(4);
  });

  test('/_sim/ui deals are a person\'s edits (CRM_UI); /_sim/records?associations=true lists partner ids per type', async () => {
    const created = await simJson<{ id: string; properties: Record<string, string> }>(sim, 'POST', '/_sim/ui/deals', { properties: { dealname: 'By hand', dealstage: 'qualifiedtobuy' } });
    expect(created.properties).toMatchObject({ dealname: 'By hand', pipeline: 'default', hs_object_id: created.id });
    expect((await simRequest(sim, 'POST', '/_sim/ui/deals', { properties: { dealname: 'No stage' } })).status).toBe(400);
    const patched = await simJson<{ properties: Record<string, string> }>(sim, 'PATCH', `/_sim/ui/deals/${created.id}`, { properties: { dealstage: 'closedwon' } });
    expect(patched.properties.dealstage).toBe('closedwon');
    const linked = await simJson<Record<string, unknown>>(sim, 'PUT', `/_sim/ui/associations/deals/${created.id}/companies/${companyA}`, { primary: true });
    expect(linked).toMatchObject({ dealId: created.id, companies: [{ toObjectId: Number(companyA), associationTypes: [expect.objectContaining({ typeId: 5 }), expect.objectContaining({ typeId: 341 })] }] });
    expect((await simRequest(sim, 'PUT', `/_sim/ui/associations/contacts/${contactId}/deals/${created.id}`, {})).status).toBe(200);
    // Deals have no primary contact.
    expect((await simRequest(sim, 'PUT', `/_sim/ui/associations/deals/${created.id}/contacts/${contactId}`, { primary: true })).status).toBe(400);
    expect(new Set((await events()).map((e) => e.changeSource))).toEqual(new Set(['CRM_UI']));

    const deals = await simJson<SimRecord[]>(sim, 'GET', '/_sim/records/deals?associations=true');
    expect(deals).toEqual([expect.objectContaining({ id: created.id, associations: { contacts: [contactId], companies: [companyA], deals: [] } })]);
    const companies = await simJson<SimRecord[]>(sim, 'GET', '/_sim/records/companies?associations=true');
    expect(companies.map((c) => [c.id, c.associations])).toEqual([
      [companyA, { contacts: [], companies: [], deals: [created.id] }],
      [companyB, { contacts: [], companies: [], deals: [] }],
    ]);
    const contacts = await simJson<SimRecord[]>(sim, 'GET', '/_sim/records/contacts?associations=true');
    expect(contacts[0]?.associations).toEqual({ contacts: [], companies: [], deals: [created.id] });
    expect((await simJson<SimRecord[]>(sim, 'GET', '/_sim/records/deals'))[0]?.associations).toBeUndefined();

    expect((await simRequest(sim, 'DELETE', `/_sim/ui/associations/deals/${created.id}/contacts/${contactId}`)).status).toBe(204);
    expect((await simRequest(sim, 'DELETE', `/_sim/ui/deals/${created.id}`)).status).toBe(204);
    const after = await simJson<SimRecord[]>(sim, 'GET', '/_sim/records/deals?associations=true');
    expect(after).toEqual([expect.objectContaining({ id: created.id, archived: true, associations: { contacts: [], companies: [companyA], deals: [] } })]);
  });
});
