import { Signature, type Client } from '@hubspot/api-client';
import express from 'express';
import { listen, type RunningServer } from '../../../src/sandbox/common/http-server';
import { createHubspotSimulator, type HubspotEvent, type HubspotSimulator } from '../../../src/sandbox/hubspot';
import { connectSdkClient } from '../../../src/sandbox/hubspot/sdk-client';
import { waitFor } from '../../support/wait-for';

interface Delivery {
  events: HubspotEvent[];
  validV3: boolean;
  validV1: boolean;
}

/** A real HTTP receiver that verifies signatures with the SDK and answers per `respond`. */
let receiver: RunningServer;
let deliveries: Delivery[] = [];
let respond: (attempt: number) => number | 'hang' = () => 200;

beforeAll(async () => {
  const app = express();
  app.post('/hooks/hubspot', express.text({ type: '*/*' }), (req, res) => {
    const body = typeof req.body === 'string' ? req.body : '';
    const url = `${receiver.url}/hooks/hubspot`;
    const validV3 = Signature.isValid({
      signatureVersion: 'v3',
      signature: req.header('x-hubspot-signature-v3') ?? '',
      clientSecret: 'sandbox-hubspot-secret',
      requestBody: body,
      url,
      method: 'POST',
      timestamp: Number(req.header('x-hubspot-request-timestamp')),
    });
    const validV1 = req.header('x-hubspot-signature-version') === 'v1' &&
      Signature.isValid({ signatureVersion: 'v1', signature: req.header('x-hubspot-signature') ?? '', clientSecret: 'sandbox-hubspot-secret', requestBody: body });
    const events = JSON.parse(body) as HubspotEvent[];
    deliveries.push({ events, validV3, validV1 });
    const outcome = respond(events[0]?.attemptNumber ?? 0);
    if (outcome !== 'hang') res.status(outcome).end();
  });
  receiver = await listen(app, '127.0.0.1', 0);
});
afterAll(() => receiver.close());

/** Every event received; batches go out concurrently, so callers that care about order sort by eventId. */
const allEvents = (): HubspotEvent[] => deliveries.flatMap((d) => d.events);
const inEventOrder = (events: HubspotEvent[]): HubspotEvent[] => [...events].sort((a, b) => a.eventId - b.eventId);
const drain = (sim: HubspotSimulator) => fetch(`${sim.url}/_sim/webhooks/drain`, { method: 'POST' });
const post = (sim: HubspotSimulator, path: string, body: unknown, method = 'POST') =>
  fetch(`${sim.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('webhook delivery', () => {
  let sim: HubspotSimulator;
  let hs: Client;
  beforeAll(async () => {
    sim = await createHubspotSimulator({
      port: 0,
      randomSeed: 7,
      webhook: { targetUrl: `${receiver.url}/hooks/hubspot`, batchDelayMs: 20, backoffBaseMs: 20, timeoutMs: 1000 },
      rateLimit: { perTenSeconds: 10_000, searchPerSecond: 100 },
    });
    hs = await connectSdkClient(sim);
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    await fetch(`${sim.url}/_sim/reset`, { method: 'POST' });
    deliveries = [];
    respond = () => 200;
  });

  test('API writes arrive signed (v3 and v1), batched, one propertyChange per changed property, tagged with the app', async () => {
    const contact = await hs.crm.contacts.basicApi.create({ properties: { email: 'w@example.com', firstname: 'W' }, associations: [] });
    await hs.crm.contacts.basicApi.update(contact.id, { properties: { firstname: 'W2', lastname: 'X' } });
    const company = await hs.crm.companies.basicApi.create({ properties: { name: 'Hooks Inc' }, associations: [] });
    await hs.crm.associations.v4.basicApi.createDefault('contacts', contact.id, 'companies', company.id);
    await hs.crm.contacts.basicApi.archive(contact.id);
    await drain(sim);

    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.every((d) => d.validV3 && d.validV1)).toBe(true);
    const events = inEventOrder(allEvents());
    const id = Number(contact.id);
    const mine = events.filter((e) => e.objectId === id).map((e) => `${e.subscriptionType}:${e.propertyName ?? ''}:${e.propertyValue ?? ''}`);
    expect(mine).toEqual([
      'contact.creation::',
      'contact.propertyChange:email:w@example.com',
      'contact.propertyChange:firstname:W',
      'contact.propertyChange:firstname:W2',
      'contact.propertyChange:lastname:X',
      'contact.deletion::',
    ]);
    expect(events.every((e) => e.changeSource === 'INTEGRATION' && e.sourceId === '1001' && e.appId === 1001 && e.attemptNumber === 0)).toBe(true);
    const association = events.filter((e) => e.subscriptionType.endsWith('associationChange'));
    expect(association.map((e) => [e.associationType, e.fromObjectId, e.toObjectId, e.associationRemoved])).toEqual([
      ['CONTACT_TO_COMPANY', id, Number(company.id), false],
      ['COMPANY_TO_CONTACT', Number(company.id), id, false],
    ]);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
  });

  test('a merge keeps the primary, fills its empty properties, archives the other and sends one contact.merge', async () => {
    const primary = await hs.crm.contacts.basicApi.create({ properties: { email: 'keep@example.com', firstname: 'Keep' }, associations: [] });
    const other = await hs.crm.contacts.basicApi.create({ properties: { email: 'gone@example.com', firstname: 'Gone', lastname: 'Smith' }, associations: [] });
    await drain(sim);
    deliveries = [];
    const res = await post(sim, '/crm/v3/objects/contacts/merge', { primaryObjectId: primary.id, objectIdToMerge: other.id });
    expect(res.status).toBe(401); // the API route wants the app's token, as every real route does
    const merged = await hs.apiRequest({ method: 'POST', path: '/crm/v3/objects/contacts/merge', body: { primaryObjectId: primary.id, objectIdToMerge: other.id } });
    expect(merged.status).toBe(200);
    expect(((await merged.json()) as { id: string }).id).toBe(primary.id);
    await drain(sim);

    const read = await hs.crm.contacts.basicApi.getById(primary.id, ['email', 'firstname', 'lastname', 'hs_merged_object_ids']);
    expect(read.properties).toMatchObject({ email: 'keep@example.com', firstname: 'Keep', lastname: 'Smith', hs_merged_object_ids: other.id });
    const archived = await hs.crm.contacts.basicApi.getById(other.id, undefined, undefined, undefined, true);
    expect(archived.archived).toBe(true);
    expect(allEvents().map((e) => [e.subscriptionType, e.objectId, e.primaryObjectId, e.mergedObjectIds])).toEqual([
      ['contact.merge', Number(primary.id), Number(primary.id), [Number(other.id)]],
    ]);
  });

  test("UI edits carry changeSource CRM_UI and a userId, the edit's own when it names one; seeding is silent", async () => {
    await post(sim, '/_sim/seed', { contacts: 20, companies: 5, seed: 3 });
    const created = (await (await post(sim, '/_sim/ui/contacts', { properties: { email: 'ui@example.com' } })).json()) as { id: string; properties: Record<string, string> };
    expect(created.properties.email).toBe('ui@example.com');
    const edited = await post(sim, `/_sim/ui/contacts/${created.id}`, { properties: { jobtitle: 'CTO' } }, 'PATCH');
    expect(edited.status).toBe(200);
    expect((await post(sim, `/_sim/ui/contacts/${created.id}`, { properties: { jobtitle: 'CEO' }, userId: 77 }, 'PATCH')).status).toBe(200);
    expect((await post(sim, `/_sim/ui/contacts/${created.id}`, { properties: { jobtitle: 'CFO' }, userId: 'someone' }, 'PATCH')).status).toBe(400);
    const company = (await (await post(sim, '/_sim/ui/companies', { properties: { name: 'UI Co' } })).json()) as { id: string };
    expect((await post(sim, `/_sim/ui/associations/contacts/${created.id}/companies/${company.id}`, { primary: true }, 'PUT')).status).toBe(200);
    expect((await fetch(`${sim.url}/_sim/ui/contacts/${created.id}`, { method: 'DELETE' })).status).toBe(204);
    await drain(sim);

    const events = inEventOrder(allEvents());
    expect(events.every((e) => e.changeSource === 'CRM_UI' && /^userId:\d+$/.test(e.sourceId ?? ''))).toBe(true);
    expect(events.filter((e) => e.objectId === Number(created.id)).map((e) => e.subscriptionType)).toEqual([
      'contact.creation', 'contact.propertyChange', 'contact.propertyChange', 'contact.propertyChange', 'contact.deletion',
    ]);
    const titles = events.filter((e) => e.propertyName === 'jobtitle');
    expect(titles.map((e) => e.sourceId)).toEqual([titles[0]?.sourceId, 'userId:77']);
    expect(titles[0]?.sourceId).not.toBe('userId:77');
    expect(events.filter((e) => e.subscriptionType === 'contact.associationChange').map((e) => e.isPrimaryAssociation).sort()).toEqual([false, true]);
    const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as { writes: number };
    expect(stats.writes).toBe(0);
  });

  test('5xx and timeouts are retried with the same eventId and a growing attemptNumber; 400 is not', async () => {
    respond = (attempt) => (attempt === 0 ? 500 : attempt === 1 ? 'hang' : 200);
    await hs.crm.companies.basicApi.create({ properties: { name: 'Retry Co' }, associations: [] });
    await drain(sim);
    const attempts = deliveries.map((d) => d.events.map((e) => `${e.eventId}@${e.attemptNumber}`));
    const ids = deliveries[0]?.events.map((e) => e.eventId) ?? [];
    expect(attempts).toEqual([0, 1, 2].map((n) => ids.map((id) => `${id}@${n}`)));
    expect(deliveries.every((d) => d.validV3)).toBe(true);
    const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as { webhooks: { delivered: number; retried: number; failed: number; dropped: number; queued: number } };
    expect(stats.webhooks).toEqual({ delivered: ids.length, retried: 2 * ids.length, failed: 0, dropped: 0, queued: 0 });

    deliveries = [];
    respond = () => 400;
    await hs.crm.companies.basicApi.create({ properties: { name: 'Rejected Co' }, associations: [] });
    await drain(sim);
    expect(deliveries).toHaveLength(1);
  });

  test('stats count the events still to be delivered: queued while the receiver does not answer, 0 once it has', async () => {
    const webhooks = async () => ((await (await fetch(`${sim.url}/_sim/stats`)).json()) as { webhooks: { queued: number; delivered: number } }).webhooks;
    respond = () => 'hang'; // each attempt times out (1 s) and is retried: the events stay queued meanwhile
    await hs.crm.companies.basicApi.create({ properties: { name: 'Slow Receiver Co' }, associations: [] });
    await waitFor(async () => deliveries.length > 0, 'the first delivery');
    const distinctEvents = () => new Set(allEvents().map((event) => event.eventId)).size;
    const events = distinctEvents();
    expect(events).toBeGreaterThan(0);
    expect((await webhooks()).queued).toBeGreaterThanOrEqual(events);
    respond = () => 200;
    await drain(sim);
    expect(await webhooks()).toMatchObject({ queued: 0, delivered: distinctEvents() });
  });

  test('batches hold at most maxBatchSize events', async () => {
    sim.options.webhook.propertyNames = ['email'];
    try {
      await hs.crm.contacts.batchApi.create({ inputs: Array.from({ length: 80 }, (_, i) => ({ properties: { email: `n${i}@example.com` }, associations: [] })) });
      await drain(sim);
    } finally {
      sim.options.webhook.propertyNames = null;
    }
    expect(allEvents()).toHaveLength(160);
    expect(Math.max(...deliveries.map((d) => d.events.length))).toBeLessThanOrEqual(100);
    expect(deliveries.length).toBeGreaterThanOrEqual(2);
  });

  test('fault knobs: webhookDropRate 1 delivers nothing and counts every event dropped', async () => {
    await post(sim, '/_sim/faults', { webhookDropRate: 1 });
    await hs.crm.companies.basicApi.create({ properties: { name: 'Lost Co' }, associations: [] });
    await drain(sim);
    await fetch(`${sim.url}/_sim/faults`, { method: 'DELETE' });
    expect(deliveries).toHaveLength(0);
    const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as { webhooks: { delivered: number; dropped: number } };
    expect(stats.webhooks.delivered).toBe(0);
    expect(stats.webhooks.dropped).toBeGreaterThan(0);
  });

  test('fault knobs: duplicates keep their eventId; reordering shuffles delivery order', async () => {
    await post(sim, '/_sim/faults', { webhookDuplicateRate: 1, webhookReorder: true });
    for (let i = 0; i < 10; i += 1) await hs.crm.companies.basicApi.create({ properties: { name: `Co ${i}` }, associations: [] });
    await drain(sim);
    await fetch(`${sim.url}/_sim/faults`, { method: 'DELETE' });
    const ids = allEvents().map((e) => e.eventId);
    const counts = new Map<number, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...counts.values()].every((n) => n === 2)).toBe(true);
    expect(ids).not.toEqual([...ids].sort((a, b) => a - b));
  });
});
