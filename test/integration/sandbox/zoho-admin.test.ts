import axios from 'axios';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ZohoHarness, startZoho } from './zoho-test-client';

type FlatRecord = Record<string, unknown> & { id: string };

let z: ZohoHarness;
beforeAll(async () => {
  z = await startZoho({ searchIndexDelayMs: 0 });
});
afterAll(async () => {
  await z.sim.close();
});
beforeEach(async () => {
  await z.root.post('/_sim/reset');
  await z.root.delete('/_sim/faults');
  await z.root.post('/_sim/stats/reset');
});

describe('seed', () => {
  it('is deterministic, realistic and links Contacts to Accounts', async () => {
    const other = await startZoho();
    try {
      const body = { contacts: 60, companies: 8, seed: 42 };
      expect((await z.root.post('/_sim/seed', body)).data).toEqual({ contacts: 60, companies: 8 });
      await other.root.post('/_sim/seed', body);
      const mine = (await z.root.get<FlatRecord[]>('/_sim/records/Contacts')).data;
      const theirs = (await other.root.get<FlatRecord[]>('/_sim/records/Contacts')).data;
      expect(mine).toHaveLength(60);
      expect(theirs).toEqual(mine);
      const accounts = (await z.root.get<FlatRecord[]>('/_sim/records/Accounts')).data;
      expect(accounts).toHaveLength(8);
      expect(accounts.every((a) => typeof a.Account_Name === 'string' && String(a.Website).startsWith('https://'))).toBe(true);
      const linked = mine.filter((c) => c.Account_Name !== null);
      expect(linked.length).toBeGreaterThan(30);
      const accountIds = new Set(accounts.map((a) => a.id));
      for (const c of linked) {
        const ref = c.Account_Name as { id: string; name: string };
        expect(accountIds.has(ref.id)).toBe(true);
        expect(accounts.find((a) => a.id === ref.id)?.Account_Name).toBe(ref.name);
      }
      expect(mine.some((c) => c.Lead_Status === 'Hot')).toBe(true);
      expect(new Set(mine.map((c) => c.Lead_Status)).size).toBeGreaterThan(3);
      expect(mine.every((c) => /^[^@\s]+@[^@\s]+\.[a-z]+$/.test(String(c.Email)))).toBe(true);
      const different = await startZoho();
      await different.root.post('/_sim/seed', { ...body, seed: 43 });
      expect((await different.root.get<FlatRecord[]>('/_sim/records/Contacts')).data).not.toEqual(mine);
      await different.sim.close();
    } finally {
      await other.sim.close();
    }
  });

  it('never dates a record in the future, however often the org is seeded', async () => {
    // A backfill stops at its own start time: a record modified "later" than now would be skipped by it.
    for (const seed of [1, 2, 3, 4, 5, 6]) await z.root.post('/_sim/seed', { contacts: 200, companies: 5, seed });
    const now = Date.now();
    for (const module of ['Contacts', 'Accounts']) {
      const records = (await z.root.get<FlatRecord[]>(`/_sim/records/${module}`)).data;
      const future = records.filter((r) => Date.parse(String(r.Modified_Time)) > now || Date.parse(String(r.Created_Time)) > now);
      expect(future.map((r) => r.Modified_Time)).toEqual([]);
      expect(records.every((r) => Date.parse(String(r.Created_Time)) <= Date.parse(String(r.Modified_Time)))).toBe(true);
    }
  });

  it('gives every contact the lead status asked for, and otherwise the values the same seed gives', async () => {
    const mixed = await startZoho();
    try {
      await z.root.post('/_sim/seed', { contacts: 40, companies: 4, seed: 9, leadStatus: 'Hot' });
      await mixed.root.post('/_sim/seed', { contacts: 40, companies: 4, seed: 9 });
      const hot = (await z.root.get<FlatRecord[]>('/_sim/records/Contacts')).data;
      const others = (await mixed.root.get<FlatRecord[]>('/_sim/records/Contacts')).data;
      expect(hot.map((c) => c.Lead_Status)).toEqual(hot.map(() => 'Hot'));
      expect(others.some((c) => c.Lead_Status !== 'Hot')).toBe(true);
      const withoutStatus = (records: FlatRecord[]) => records.map(({ Lead_Status: _status, ...rest }) => rest);
      expect(withoutStatus(hot)).toEqual(withoutStatus(others));
      expect((await z.root.post('/_sim/seed', { contacts: 1, leadStatus: '' }, { validateStatus: () => true })).status).toBe(400);
    } finally {
      await mixed.sim.close();
    }
  });

  it('reset empties the org; records lists deleted ones flagged $deleted', async () => {
    await z.root.post('/_sim/seed', { contacts: 3, seed: 1 });
    const [first] = (await z.root.get<FlatRecord[]>('/_sim/records/Contacts')).data;
    await z.api.delete(`/Contacts/${first?.id}`);
    const after = (await z.root.get<FlatRecord[]>('/_sim/records/Contacts')).data;
    expect(after).toHaveLength(3);
    expect(after.find((r) => r.id === first?.id)).toMatchObject({ $deleted: true, Last_Name: first?.Last_Name });
    expect(after.filter((r) => r.$deleted === undefined)).toHaveLength(2);
    expect((await z.root.post('/_sim/reset')).status).toBe(204);
    expect((await z.root.get('/_sim/records/Contacts')).data).toEqual([]);
  });
});

describe('stats', () => {
  it('counts real-API requests by route pattern, writes, statuses and tokens, not /_sim calls', async () => {
    await z.api.post('/Contacts', { data: [{ Last_Name: 'A' }, { Last_Name: 'B' }, {}] });
    await z.api.get('/Contacts', { params: { fields: 'Last_Name' } });
    await z.root.post('/_sim/ui/Contacts', { data: [{ Last_Name: 'UI' }] });
    await axios.get(`${z.sim.url}/crm/v8/Contacts`, { validateStatus: () => true });
    const stats = (await z.root.get('/_sim/stats')).data;
    expect(stats).toEqual({
      requests: { total: 3, byRoute: { 'POST /crm/v8/:module': 1, 'GET /crm/v8/:module': 2 } },
      writes: 2,
      conditionalRefusals: 0,
      status: { '401': 1, '429': 0, '5xx': 0 },
      tokensIssued: 0,
      webhooks: { delivered: 0, failed: 0, retried: 0, dropped: 0, queued: 0 },
    });
    expect((await z.root.post('/_sim/stats/reset')).status).toBe(204);
    expect((await z.root.get('/_sim/stats')).data.requests.total).toBe(0);
  });
});

describe('faults', () => {
  it('answers 5xx, 429 or 503 on real-API routes only, and clears with DELETE', async () => {
    expect((await z.root.post('/_sim/faults', { errorRate: 1 })).data).toMatchObject({ errorRate: 1, rateLimitRate: 0 });
    const failed = await z.api.get('/Contacts', { params: { fields: 'Last_Name' } });
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(failed.data).toEqual({ code: 'INTERNAL_ERROR', details: {}, message: 'Internal Server Error', status: 'error' });
    expect((await z.root.get('/_sim/records/Contacts')).status).toBe(200);

    await z.root.post('/_sim/faults', { errorRate: 0, rateLimitRate: 1 });
    const limited = await z.api.get('/Contacts', { params: { fields: 'Last_Name' } });
    expect([limited.status, limited.data.code]).toEqual([429, 'TOO_MANY_REQUESTS']);

    await z.root.post('/_sim/faults', { rateLimitRate: 0, outage: true });
    expect((await z.api.get('/Contacts', { params: { fields: 'Last_Name' } })).status).toBe(503);
    expect((await z.root.delete('/_sim/faults')).status).toBe(204);
    expect((await z.api.get('/Contacts', { params: { fields: 'Last_Name' } })).status).toBe(204);
    const stats = (await z.root.get('/_sim/stats')).data;
    expect(stats.status).toEqual({ '401': 0, '429': 1, '5xx': 2 });
    expect((await z.root.post('/_sim/faults', { errorRate: 2 })).status).toBe(400);
  });

  it('leaves requests unanswered under timeoutRate and delays them under latencyMs', async () => {
    await z.root.post('/_sim/faults', { timeoutRate: 1 });
    await expect(z.api.get('/Contacts', { params: { fields: 'Last_Name' }, timeout: 300 })).rejects.toThrow(/timeout/);
    await z.root.post('/_sim/faults', { timeoutRate: 0, latencyMs: 250 });
    const started = Date.now();
    expect((await z.api.get('/Contacts', { params: { fields: 'Last_Name' } })).status).toBe(204);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });
});

describe('snapshot', () => {
  it('writes the org to a file on close and loads it on start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zoho-sim-'));
    const file = join(dir, 'zoho.json');
    try {
      const first = await startZoho({ snapshotFile: file });
      await first.api.post('/settings/fields', { fields: [{ field_label: 'HubSpot ID', data_type: 'text', unique: { case_sensitive: false } }] }, { params: { module: 'Contacts' } });
      await first.root.post('/_sim/seed', { contacts: 5, companies: 2, seed: 7 });
      await first.api.post('/Contacts', { data: [{ Last_Name: 'Saved', HubSpot_ID: 'hs-9' }] });
      const before = (await first.root.get<FlatRecord[]>('/_sim/records/Contacts')).data;
      await first.sim.close();
      const second = await startZoho({ snapshotFile: file });
      try {
        expect((await second.root.get<FlatRecord[]>('/_sim/records/Contacts')).data).toEqual(before);
        const dup = await second.api.post('/Contacts', { data: [{ Last_Name: 'Dup', HubSpot_ID: 'HS-9' }] });
        expect(dup.data.data[0].code).toBe('DUPLICATE_DATA');
        const next = await second.api.post('/Contacts', { data: [{ Last_Name: 'Next' }] });
        expect(before.map((r) => r.id)).not.toContain(next.data.data[0].details.id);
      } finally {
        await second.sim.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
