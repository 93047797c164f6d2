import type { Client } from '@hubspot/api-client';
import { createHubspotSimulator, type HubspotSimulator } from '../../../src/sandbox/hubspot';
import { connectSdkClient } from '../../../src/sandbox/hubspot/sdk-client';

async function failure(promise: Promise<unknown>): Promise<{ code: unknown; body: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error) return { code: error.code, body: 'body' in error ? error.body : undefined };
    throw error;
  }
  throw new Error('expected the call to fail');
}

async function recordCount(sim: HubspotSimulator, object: string): Promise<number> {
  const records = (await (await fetch(`${sim.url}/_sim/records/${object}`)).json()) as unknown[];
  return records.length;
}

let sim: HubspotSimulator;
let hs: Client;

beforeAll(async () => {
  sim = await createHubspotSimulator({ port: 0, rateLimit: { perTenSeconds: 10_000, searchPerSecond: 100 } });
  hs = await connectSdkClient(sim);
});
afterAll(() => sim.close());
beforeEach(() => fetch(`${sim.url}/_sim/reset`, { method: 'POST' }));

describe('batch endpoints', () => {
  test('batch create answers 201 and creates every input', async () => {
    const res = await hs.crm.contacts.batchApi.create({
      inputs: [1, 2, 3].map((i) => ({ properties: { email: `b${i}@example.com`, firstname: `B${i}` }, associations: [] })),
    });
    expect(res.status).toBe('COMPLETE');
    expect(res.results.map((r) => r.properties.email).sort()).toEqual(['b1@example.com', 'b2@example.com', 'b3@example.com']);
    expect(await recordCount(sim, 'contacts')).toBe(3);
  });

  test('a duplicate email fails the whole batch with 409 unless objectWriteTraceId asks for 207', async () => {
    const existing = await hs.crm.contacts.basicApi.create({ properties: { email: 'taken@example.com' }, associations: [] });
    const atomic = await failure(hs.crm.contacts.batchApi.create({
      inputs: [{ properties: { email: 'fresh@example.com' }, associations: [] }, { properties: { email: 'TAKEN@example.com' }, associations: [] }],
    }));
    expect(atomic.code).toBe(409);
    expect(atomic.body).toMatchObject({ category: 'CONFLICT', message: `Contact already exists. Existing ID: ${existing.id}` });
    expect(await recordCount(sim, 'contacts')).toBe(1);

    const partial = await hs.crm.contacts.batchApi.create({
      inputs: [
        { properties: { email: 'fresh@example.com' }, associations: [], objectWriteTraceId: 't1' },
        { properties: { email: 'taken@example.com' }, associations: [], objectWriteTraceId: 't2' },
      ],
    });
    expect(partial.results.map((r) => r.properties.email)).toEqual(['fresh@example.com']);
    expect(partial).toMatchObject({ numErrors: 1, errors: [{ category: 'CONFLICT', context: { objectWriteTraceId: ['t2'] } }] });
  });

  test('batch read reports unknown ids in a 207; idProperty=email works', async () => {
    const made = await hs.crm.contacts.batchApi.create({ inputs: [{ properties: { email: 'r1@example.com', firstname: 'R' }, associations: [] }] });
    const id = made.results[0]?.id ?? '';
    const res = await hs.crm.contacts.batchApi.read({ inputs: [{ id }, { id: '424242' }], properties: ['firstname'], propertiesWithHistory: [] });
    expect(res.results.map((r) => r.id)).toEqual([id]);
    expect(res).toMatchObject({ numErrors: 1, errors: [{ category: 'OBJECT_NOT_FOUND', context: { ids: ['424242'] } }] });
    const byEmail = await hs.crm.contacts.batchApi.read({ inputs: [{ id: 'R1@example.com' }], idProperty: 'email', properties: [], propertiesWithHistory: ['firstname'] });
    expect(byEmail.results[0]?.id).toBe(id);
    expect(byEmail.results[0]?.propertiesWithHistory?.firstname?.[0]?.value).toBe('R');
  });

  test('batch update and upsert by email; batch update by email is refused like HubSpot', async () => {
    const made = await hs.crm.companies.batchApi.create({ inputs: [{ properties: { name: 'One' }, associations: [] }, { properties: { name: 'Two' }, associations: [] }] });
    const ids = made.results.map((r) => r.id);
    const updated = await hs.crm.companies.batchApi.update({ inputs: ids.map((id, i) => ({ id, properties: { city: `C${i}` } })) });
    expect(updated.results.map((r) => r.properties.city).sort()).toEqual(['C0', 'C1']);

    await hs.crm.contacts.basicApi.create({ properties: { email: 'u1@example.com' }, associations: [] });
    const upsert = await hs.crm.contacts.batchApi.upsert({
      inputs: [
        { id: 'U1@example.com', idProperty: 'email', properties: { firstname: 'Old' } },
        { id: 'u2@example.com', idProperty: 'email', properties: { firstname: 'New' } },
      ],
    });
    expect(upsert.results.map((r) => [r.properties.email, r._new]).sort()).toEqual([['u1@example.com', false], ['u2@example.com', true]]);
    const byEmail = await failure(hs.crm.contacts.batchApi.update({ inputs: [{ id: 'u1@example.com', idProperty: 'email', properties: { firstname: 'X' } }] }));
    expect(byEmail.code).toBe(400);
    expect(JSON.stringify(byEmail.body)).toContain('non-unique');
  });

  test('batch archive answers 204; more than 100 inputs is a 400', async () => {
    const made = await hs.crm.contacts.batchApi.create({ inputs: [{ properties: { email: 'a1@example.com' }, associations: [] }] });
    await hs.crm.contacts.batchApi.archive({ inputs: [{ id: made.results[0]?.id ?? '' }, { id: '999999' }] });
    const records = (await (await fetch(`${sim.url}/_sim/records/contacts`)).json()) as Array<{ archived: boolean }>;
    expect(records.map((r) => r.archived)).toEqual([true]);
    const tooMany = await failure(hs.crm.contacts.batchApi.create({
      inputs: Array.from({ length: 101 }, (_, i) => ({ properties: { email: `m${i}@example.com` }, associations: [] })),
    }));
    expect(tooMany.code).toBe(400);
    expect(tooMany.body).toMatchObject({ category: 'VALIDATION_ERROR' });
  });
});
