import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@hubspot/api-client';
import { createHubspotSimulator, type HubspotSimulator } from '../../../src/sandbox/hubspot';
import { connectSdkClient } from '../../../src/sandbox/hubspot/sdk-client';

interface SimRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}
interface Stats {
  requests: { total: number; byRoute: Record<string, number> };
  writes: number;
  status: { '401': number; '429': number; '5xx': number };
  tokensIssued: number;
  webhooks: { delivered: number; failed: number; retried: number; dropped: number; queued: number };
}

const json = async <T>(res: Promise<Response>): Promise<T> => (await (await res).json()) as T;
const post = (sim: HubspotSimulator, path: string, body?: unknown) =>
  fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

let sim: HubspotSimulator;
let hs: Client;

beforeAll(async () => {
  sim = await createHubspotSimulator({ port: 0, rateLimit: { perTenSeconds: 10_000, searchPerSecond: 100 } });
  hs = await connectSdkClient(sim);
});
afterAll(() => sim.close());
beforeEach(async () => {
  expect((await post(sim, '/_sim/reset')).status).toBe(204);
});

describe('/_sim admin routes', () => {
  test('seed is deterministic, realistic and associated; records lists archived ones too', async () => {
    const other = await createHubspotSimulator({ port: 0 });
    try {
      expect(await json(post(sim, '/_sim/seed', { contacts: 50, companies: 10, seed: 42 }))).toEqual({ contacts: 50, companies: 10 });
      await post(other, '/_sim/seed', { contacts: 50, companies: 10, seed: 42 });
      const mine = await json<SimRecord[]>(fetch(`${sim.url}/_sim/records/contacts`));
      const theirs = await json<SimRecord[]>(fetch(`${other.url}/_sim/records/contacts`));
      expect(mine).toEqual(theirs);
      expect(mine).toHaveLength(50);
      expect(new Set(mine.map((r) => r.properties.email)).size).toBe(50);
      expect(mine.every((r) => /^[^@\s]+@[a-z0-9.-]+\.[a-z]+$/.test(r.properties.email ?? ''))).toBe(true);
      expect(mine.every((r) => (r.properties.firstname ?? '').length > 1 && (r.properties.phone ?? '').startsWith('+'))).toBe(true);
      const companies = await json<SimRecord[]>(fetch(`${sim.url}/_sim/records/companies`));
      expect(companies.every((c) => /\./.test(c.properties.domain ?? '') && (c.properties.city ?? '') !== '')).toBe(true);
      const linked = await hs.crm.contacts.basicApi.getPage(100, undefined, undefined, undefined, ['companies']);
      expect(linked.results.filter((r) => r.associations?.companies).length).toBeGreaterThan(25);
      const different = await json<SimRecord[]>((async () => {
        await post(other, '/_sim/reset');
        await post(other, '/_sim/seed', { contacts: 50, companies: 10, seed: 43 });
        return fetch(`${other.url}/_sim/records/contacts`);
      })());
      expect(different.map((r) => r.properties.email)).not.toEqual(mine.map((r) => r.properties.email));

      await hs.crm.contacts.basicApi.archive(mine[0]?.id ?? '');
      const after = await json<SimRecord[]>(fetch(`${sim.url}/_sim/records/contacts`));
      expect(after.find((r) => r.id === mine[0]?.id)?.archived).toBe(true);
    } finally {
      await other.close();
    }
  });

  test("records gives the properties' history asked for, newest first, with each change's source", async () => {
    const created = await hs.crm.contacts.basicApi.create({ properties: { email: 'history@example.com', jobtitle: 'First' }, associations: [] });
    await hs.crm.contacts.basicApi.update(created.id, { properties: { jobtitle: 'Second' } });
    const ui = await fetch(`${sim.url}/_sim/ui/contacts/${created.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ properties: { jobtitle: 'Third' } }) });
    expect(ui.status).toBe(200);
    type WithHistory = SimRecord & { propertiesWithHistory?: Record<string, Array<{ value: string; sourceType: string }>> };
    const [record] = (await json<WithHistory[]>(fetch(`${sim.url}/_sim/records/contacts?history=jobtitle`))).filter((r) => r.id === created.id);
    expect(record?.propertiesWithHistory?.jobtitle?.map(({ value, sourceType }) => [value, sourceType])).toEqual([
      ['Third', 'CRM_UI'],
      ['Second', 'INTEGRATION'],
      ['First', 'INTEGRATION'],
    ]);
    const [plain] = (await json<WithHistory[]>(fetch(`${sim.url}/_sim/records/contacts`))).filter((r) => r.id === created.id);
    expect(plain?.propertiesWithHistory).toBeUndefined();
  });

  test('stats count requests by route pattern, writes via the real API only, statuses and tokens', async () => {
    expect((await post(sim, '/_sim/stats/reset')).status).toBe(204);
    const a = await hs.crm.contacts.basicApi.create({ properties: { email: 's@example.com' }, associations: [] });
    await hs.crm.contacts.basicApi.update(a.id, { properties: { firstname: 'S' } });
    await hs.crm.contacts.basicApi.getById(a.id);
    await hs.crm.contacts.batchApi.create({ inputs: [{ properties: { email: 's2@example.com' }, associations: [] }, { properties: { email: 's3@example.com' }, associations: [] }] });
    await post(sim, '/_sim/ui/contacts', { properties: { email: 'ui@example.com' } });
    await fetch(`${sim.url}/crm/v3/objects/contacts`, { headers: { authorization: 'Bearer bogus' } });
    await connectSdkClient(sim);
    const stats = await json<Stats>(fetch(`${sim.url}/_sim/stats`));
    expect(stats.writes).toBe(4);
    expect(stats.status['401']).toBe(1);
    expect(stats.tokensIssued).toBe(1);
    expect(stats.requests.byRoute).toMatchObject({
      'POST /crm/v3/objects/:objectType': 1,
      'PATCH /crm/v3/objects/:objectType/:objectId': 1,
      'GET /crm/v3/objects/:objectType/:objectId': 1,
      'POST /crm/v3/objects/:objectType/batch/create': 1,
      'GET /crm/v3/objects/:objectType': 1,
      'POST /oauth/v1/token': 1,
    });
    expect(stats.requests.total).toBe(6);
    expect(Object.keys(stats.requests.byRoute).some((k) => k.includes('/_sim'))).toBe(false);
  });

  test('faults: 5xx, 429, outage, hung requests and latency hit the real API but never /_sim', async () => {
    const setFaults = async (body: unknown) => expect((await post(sim, '/_sim/faults', body)).status).toBe(200);
    await setFaults({ errorRate: 1 });
    const failed = await hs.crm.contacts.basicApi.getPage().catch((e: { code?: number; body?: unknown }) => e);
    expect(failed).toMatchObject({ code: expect.any(Number), body: { status: 'error' } });
    expect((failed as { code: number }).code).toBeGreaterThanOrEqual(500);
    expect((await fetch(`${sim.url}/_sim/stats`)).status).toBe(200);

    await setFaults({ errorRate: 0, rateLimitRate: 1 });
    await expect(hs.crm.contacts.basicApi.getPage()).rejects.toMatchObject({ code: 429, body: { policyName: 'TEN_SECONDLY_ROLLING' } });

    await setFaults({ rateLimitRate: 0, outage: true });
    await expect(hs.crm.contacts.basicApi.getPage()).rejects.toMatchObject({ code: 503 });

    await setFaults({ outage: false, timeoutRate: 1 });
    const hung = await fetch(`${sim.url}/crm/v3/objects/contacts`, { signal: AbortSignal.timeout(300) }).then(
      () => 'answered',
      (error: Error) => error.name,
    );
    expect(hung).toBe('TimeoutError');

    await setFaults({ timeoutRate: 0, latencyMs: 150 });
    const started = Date.now();
    await hs.crm.contacts.basicApi.getPage();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    expect((await post(sim, '/_sim/faults', { errorRate: 2 })).status).toBe(400);
    expect((await fetch(`${sim.url}/_sim/faults`, { method: 'DELETE' })).status).toBe(204);
    await expect(hs.crm.contacts.basicApi.getPage()).resolves.toHaveProperty('results');
    const stats = await json<Stats>(fetch(`${sim.url}/_sim/stats`));
    expect(stats.status['5xx']).toBe(2);
    expect(stats.status['429']).toBe(1);
  });

  test('snapshotFile keeps data across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hs-snapshot-'));
    const file = join(dir, 'hubspot.json');
    try {
      const first = await createHubspotSimulator({ port: 0, snapshotFile: file });
      await post(first, '/_sim/seed', { contacts: 5, companies: 2, seed: 9 });
      const before = await json<SimRecord[]>(fetch(`${first.url}/_sim/records/contacts`));
      await first.close();
      const second = await createHubspotSimulator({ port: 0, snapshotFile: file, searchIndexDelayMs: 5000 });
      try {
        expect(await json<SimRecord[]>(fetch(`${second.url}/_sim/records/contacts`))).toEqual(before);
        const client = await connectSdkClient(second);
        const created = await client.crm.contacts.basicApi.create({ properties: { email: 'after-restart@example.com' }, associations: [] });
        expect(Number(created.id)).toBeGreaterThan(Math.max(...before.map((r) => Number(r.id))));
        const found = await client.crm.contacts.searchApi.doSearch({ filterGroups: [], limit: 10 });
        expect(found.total).toBe(5);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
