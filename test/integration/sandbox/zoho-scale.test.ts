import { type ZohoHarness, startZoho } from './zoho-test-client';

jest.setTimeout(180_000);

const CONTACTS = 100_000;
/** Generous: the machine is shared; a linear scan per request over 100k records would still pass a tighter bound locally. */
const FAST_MS = 1500;

let z: ZohoHarness;
beforeAll(async () => {
  z = await startZoho({ searchIndexDelayMs: 0 });
  const seeded = await z.root.post('/_sim/seed', { contacts: CONTACTS, companies: 2000, seed: 11 });
  expect(seeded.data).toEqual({ contacts: CONTACTS, companies: 2000 });
});
afterAll(async () => {
  await z.sim.close();
});

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = Date.now();
  const value = await fn();
  return { ms: Date.now() - start, value };
}

describe('100k contacts', () => {
  it('gets, lists, searches and queries quickly', async () => {
    const count = await z.api.get<{ count: number }>('/Contacts/actions/count');
    expect(count.data.count).toBe(CONTACTS);
    const page = await timed(() => z.api.get<{ data: Array<{ id: string; Email: string }> }>('/Contacts', { params: { fields: 'Email', page: 10 } }));
    expect(page.value.status).toBe(200);
    expect(page.ms).toBeLessThan(FAST_MS);
    const target = page.value.data.data[17];
    const byId = await timed(() => z.api.get(`/Contacts/${target?.id}`));
    expect(byId.value.status).toBe(200);
    expect(byId.ms).toBeLessThan(FAST_MS);
    const byModified = await timed(() => z.api.get('/Contacts', { params: { fields: 'Modified_Time', sort_by: 'Modified_Time', page: 10 } }));
    expect(byModified.value.status).toBe(200);
    expect(byModified.ms).toBeLessThan(FAST_MS);
    const search = await timed(() => z.api.get<{ data: Array<{ id: string }> }>('/Contacts/search', { params: { email: target?.Email } }));
    expect(search.value.data.data.map((r) => r.id)).toContain(target?.id);
    expect(search.ms).toBeLessThan(FAST_MS);
    const coql = await timed(() =>
      z.api.post<{ data: unknown[] }>('/coql', { select_query: "select Email from Contacts where Modified_Time >= '2025-01-01T00:00:00+00:00' order by Modified_Time asc limit 50000, 2000" }),
    );
    expect(coql.value.data.data).toHaveLength(2000);
    expect(coql.ms).toBeLessThan(FAST_MS);
    const update = await timed(() => z.api.put('/Contacts', { data: [{ id: target?.id, Title: 'Scaled' }] }));
    expect(update.value.status).toBe(200);
    expect(update.ms).toBeLessThan(FAST_MS);
  });
});
