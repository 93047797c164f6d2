import type { Client } from '@hubspot/api-client';
import { FilterOperatorEnum as Op, type Filter } from '@hubspot/api-client/lib/codegen/crm/contacts';
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

/** Polls a condition (not a fixed sleep) until it holds or the deadline passes. */
async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

let sim: HubspotSimulator;
let hs: Client;
const ids: Record<string, string> = {};

beforeAll(async () => {
  sim = await createHubspotSimulator({ port: 0, searchIndexDelayMs: 0, searchResultCap: 4, rateLimit: { perTenSeconds: 10_000, searchPerSecond: 1000 } });
  hs = await connectSdkClient(sim);
  const people: Array<Record<string, string>> = [
    { email: 'ann@acme.com', firstname: 'Ann', lastname: 'Lee', city: 'Berlin' },
    { email: 'bob@acme.com', firstname: 'Bob', lastname: 'Stone', city: 'Paris' },
    { email: 'cy@globex.io', firstname: 'Cy', lastname: 'Lee' },
    { email: 'di@globex.io', firstname: 'Di', lastname: 'Young Lee', city: 'Berlin' },
    { email: 'ed@initech.net', firstname: 'Ed', lastname: 'Ng', city: 'Oslo' },
  ];
  for (const properties of people) ids[properties.firstname ?? ''] = (await hs.crm.contacts.basicApi.create({ properties, associations: [] })).id;
});
afterAll(() => sim.close());

const names = async (filters: Filter[], extra: { limit?: number; after?: string; sorts?: string[] } = {}): Promise<string[]> => {
  const res = await hs.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters }], properties: ['firstname'], limit: extra.limit ?? 100, after: extra.after, sorts: extra.sorts ?? ['firstname'] });
  return res.results.map((r) => r.properties.firstname ?? '');
};

describe('search operators, sorting and limits', () => {
  test('comparison operators', async () => {
    expect(await names([{ propertyName: 'lastname', operator: Op.Eq, value: 'LEE' }])).toEqual(['Ann', 'Cy']);
    expect(await names([{ propertyName: 'city', operator: Op.Neq, value: 'berlin' }])).toEqual(['Bob', 'Cy', 'Ed']);
    expect(await names([{ propertyName: 'firstname', operator: Op.Lt, value: 'Bob' }])).toEqual(['Ann']);
    expect(await names([{ propertyName: 'firstname', operator: Op.Lte, value: 'Bob' }])).toEqual(['Ann', 'Bob']);
    expect(await names([{ propertyName: 'firstname', operator: Op.Gt, value: 'Di' }])).toEqual(['Ed']);
    expect(await names([{ propertyName: 'firstname', operator: Op.Gte, value: 'Di' }])).toEqual(['Di', 'Ed']);
    expect(await names([{ propertyName: 'hs_object_id', operator: Op.Between, value: ids.Bob, highValue: ids.Di }])).toEqual(['Bob', 'Cy', 'Di']);
    expect(await names([{ propertyName: 'city', operator: Op.In, values: ['oslo', 'paris'] }])).toEqual(['Bob', 'Ed']);
    expect(await names([{ propertyName: 'city', operator: Op.NotIn, values: ['berlin'] }])).toEqual(['Bob', 'Cy', 'Ed']);
    expect(await names([{ propertyName: 'city', operator: Op.HasProperty }])).toEqual(['Ann', 'Bob', 'Di', 'Ed']);
    expect(await names([{ propertyName: 'city', operator: Op.NotHasProperty }])).toEqual(['Cy']);
    expect(await names([{ propertyName: 'lastname', operator: Op.ContainsToken, value: 'lee' }])).toEqual(['Ann', 'Cy', 'Di']);
    expect(await names([{ propertyName: 'email', operator: Op.ContainsToken, value: '*@globex.io' }])).toEqual(['Cy', 'Di']);
  });

  test('filters AND within a group, groups OR; modified-since on lastmodifieddate with a descending sort', async () => {
    const res = await hs.crm.contacts.searchApi.doSearch({
      filterGroups: [
        { filters: [{ propertyName: 'city', operator: Op.Eq, value: 'Berlin' }, { propertyName: 'lastname', operator: Op.Eq, value: 'Lee' }] },
        { filters: [{ propertyName: 'firstname', operator: Op.Eq, value: 'Ed' }] },
      ],
      properties: ['firstname'],
      limit: 10,
      sorts: ['firstname'],
    });
    expect(res.results.map((r) => r.properties.firstname)).toEqual(['Ann', 'Ed']);

    const since = (await hs.crm.contacts.basicApi.getById(ids.Cy ?? '')).properties.lastmodifieddate ?? '';
    const recent = await hs.crm.contacts.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: Op.Gte, value: String(Date.parse(since)) }] }],
      sorts: ['-lastmodifieddate'],
      properties: ['firstname'],
      limit: 10,
    });
    expect(recent.results.map((r) => r.properties.firstname)).toEqual(['Ed', 'Di', 'Cy']);
    expect(recent.total).toBe(3);
  });

  test('object-form sorts over raw HTTP, paging by after, the result cap and limit > 200', async () => {
    const token = await hs.oauth.tokensApi.create('refresh_token', undefined, undefined, sim.options.clientId, sim.options.clientSecret, sim.options.refreshToken);
    const post = (body: unknown) =>
      fetch(`${sim.url}/crm/v3/objects/contacts/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token.accessToken}` },
        body: JSON.stringify(body),
      });
    const page = (await (await post({ sorts: [{ propertyName: 'firstname', direction: 'DESCENDING' }], properties: ['firstname'], limit: 2 })).json()) as {
      total: number; results: Array<{ properties: { firstname: string } }>; paging?: { next: { after: string } };
    };
    expect(page.results.map((r) => r.properties.firstname)).toEqual(['Ed', 'Di']);
    expect(page.total).toBe(5);
    expect(page.paging?.next.after).toBe('2');
    expect(await names([], { limit: 2, after: '2' })).toEqual(['Cy', 'Di']);
    // searchResultCap is 4 here (10,000 by default): results stop at the cap and paging past it is a 400.
    const last = await hs.crm.contacts.searchApi.doSearch({ filterGroups: [], limit: 3, after: '3', properties: [], sorts: [] });
    expect(last.results).toHaveLength(1);
    expect(last.paging).toBeUndefined();
    expect((await post({ limit: 1, after: '4' })).status).toBe(400);
    expect((await failure(hs.crm.contacts.searchApi.doSearch({ limit: 201 }))).code).toBe(400);
  });
});

describe('search index lag and the secondly limit', () => {
  let lagging: HubspotSimulator;
  let client: Client;
  beforeAll(async () => {
    lagging = await createHubspotSimulator({ port: 0, searchIndexDelayMs: 1000, rateLimit: { perTenSeconds: 10_000, searchPerSecond: 1000 } });
    client = await connectSdkClient(lagging);
  });
  afterAll(() => lagging.close());

  const byEmail = (email: string) =>
    client.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'email', operator: Op.Eq, value: email }] }], properties: ['firstname'], limit: 1 });

  test('a fresh record is not found until the indexing delay has passed, and updates lag too', async () => {
    const created = await client.crm.contacts.basicApi.create({ properties: { email: 'lag@example.com', firstname: 'Before' }, associations: [] });
    const writtenAt = Date.now();
    expect((await byEmail('lag@example.com')).total).toBe(0);
    const found = await eventually(async () => ((await byEmail('lag@example.com')).total === 1 ? Date.now() : undefined));
    expect(found - writtenAt).toBeGreaterThanOrEqual(950);

    await client.crm.contacts.basicApi.update(created.id, { properties: { firstname: 'After' } });
    expect((await byEmail('lag@example.com')).results[0]?.properties.firstname).toBe('Before');
    await eventually(async () => ((await byEmail('lag@example.com')).results[0]?.properties.firstname === 'After' ? true : undefined));
  });

  test('more searches per second than allowed get 429 SECONDLY with the message the client keys on', async () => {
    lagging.options.rateLimit.searchPerSecond = 2;
    try {
      const results = await Promise.all([1, 2, 3, 4].map(() => failure(byEmail('x@example.com')).catch(() => ({ code: 200, body: null }))));
      const limited = results.filter((r) => r.code === 429);
      expect(limited.length).toBeGreaterThanOrEqual(2);
      expect(limited[0]?.body).toMatchObject({ status: 'error', policyName: 'SECONDLY', message: 'You have reached your secondly limit.' });
    } finally {
      lagging.options.rateLimit.searchPerSecond = 1000;
    }
  });
});
