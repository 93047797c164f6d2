import { type ZohoHarness, startZoho } from './zoho-test-client';

interface Page {
  data: Array<Record<string, unknown> & { id: string }>;
  info: Record<string, unknown>;
}

const INDEX_DELAY_MS = 400;
let z: ZohoHarness;

beforeAll(async () => {
  z = await startZoho({ searchIndexDelayMs: INDEX_DELAY_MS });
});
afterAll(async () => {
  await z.sim.close();
});
beforeEach(async () => {
  await z.root.post('/_sim/reset');
});

/** Polls the search until it answers 200: the condition we wait for is "indexed", not a fixed time. */
async function searchUntilFound(params: Record<string, string>, deadlineMs = 5000): Promise<{ elapsed: number; page: Page }> {
  const start = Date.now();
  for (;;) {
    const res = await z.api.get<Page>('/Contacts/search', { params });
    if (res.status === 200) return { elapsed: Date.now() - start, page: res.data };
    if (Date.now() - start > deadlineMs) throw new Error(`still ${res.status} after ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('search', () => {
  it('hides new records until the index catches up, and matches old values until then', async () => {
    const created = await z.api.post<{ data: Array<{ details: { id: string } }> }>('/Contacts', { data: [{ Last_Name: 'Lag', Email: 'lag@x.com' }] });
    const id = created.data.data[0]?.details.id;
    const immediate = await z.api.get('/Contacts/search', { params: { email: 'lag@x.com' } });
    expect(immediate.status).toBe(204);
    expect(immediate.data).toBe('');
    const found = await searchUntilFound({ email: 'lag@x.com' });
    expect(found.page.data[0]?.id).toBe(id);
    expect(found.elapsed).toBeGreaterThanOrEqual(INDEX_DELAY_MS - 100);

    await z.api.put('/Contacts', { data: [{ id, Email: 'moved@x.com' }] });
    const stale = await z.api.get<Page>('/Contacts/search', { params: { email: 'lag@x.com' } });
    expect(stale.status).toBe(200);
    // Matched on the indexed (old) value, returned with the current one.
    expect(stale.data.data[0]?.Email).toBe('moved@x.com');
    expect((await z.api.get('/Contacts/search', { params: { email: 'moved@x.com' } })).status).toBe(204);
    await searchUntilFound({ email: 'moved@x.com' });
    expect((await z.api.get('/Contacts/search', { params: { email: 'lag@x.com' } })).status).toBe(204);
  });

  it('supports criteria groups, operators, phone and word; equals behaves like contains', async () => {
    await z.root.post('/_sim/seed', { contacts: 0, companies: 0, seed: 1 });
    await z.api.post('/Contacts', {
      data: [
        { Last_Name: 'Smith', First_Name: 'Ann', Email: 'ann.smith@acme.com', Phone: '+1 415 555 0101', Lead_Status: 'Hot' },
        { Last_Name: 'Smithers', First_Name: 'Bob', Email: 'bob@acme.com', Phone: '+1 415 555 0202', Lead_Status: 'Cold' },
        { Last_Name: 'Jones', First_Name: 'Cy', Email: 'cy@other.org', Lead_Status: 'Hot' },
      ],
    });
    const names = async (params: Record<string, string>): Promise<string[]> => {
      const { page } = await searchUntilFound(params);
      return page.data.map((r) => String(r.Last_Name)).sort();
    };
    expect(await names({ criteria: '((Last_Name:starts_with:Smith)and(Lead_Status:equals:Hot))' })).toEqual(['Smith']);
    expect(await names({ criteria: '((Lead_Status:equals:Cold)or(Last_Name:equals:Jones))' })).toEqual(['Jones', 'Smithers']);
    expect(await names({ criteria: '(Email:equals:acme.com)' })).toEqual(['Smith', 'Smithers']);
    expect(await names({ criteria: '(Last_Name:in:Jones,Smith)' })).toEqual(['Jones', 'Smith', 'Smithers']);
    expect(await names({ phone: '5550202' })).toEqual(['Smithers']);
    expect(await names({ word: 'other.org' })).toEqual(['Jones']);
    const page = (await searchUntilFound({ email: 'bob@acme.com', fields: 'Email' })).page;
    expect(page.data[0]).toEqual({ id: expect.any(String), Email: 'bob@acme.com' });
    expect(page.info).toMatchObject({ per_page: 200, count: 1, page: 1, more_records: false });
    expect((await z.api.get('/Contacts/search', { params: { criteria: '(Email:equals:nobody@nowhere.net)' } })).status).toBe(204);
  });

  it('rejects a search without criteria/email/phone/word and malformed criteria', async () => {
    const none = await z.api.get('/Contacts/search');
    expect(none.status).toBe(400);
    expect(none.data).toMatchObject({ code: 'EXPECTED_PARAM_MISSING', status: 'error' });
    const bad = await z.api.get('/Contacts/search', { params: { criteria: '(Email:like:x)' } });
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({ code: 'INVALID_QUERY' });
  });

  it('caps a search at 2,000 records (LIMIT_REACHED beyond)', async () => {
    await z.root.post('/_sim/seed', { contacts: 2100, seed: 9 });
    const ok = await z.api.get<Page>('/Contacts/search', { params: { criteria: '(Last_Name:starts_with:)', page: 10, fields: 'Last_Name' } });
    expect(ok.status).toBe(200);
    expect(ok.data.info.more_records).toBe(true);
    const beyond = await z.api.get('/Contacts/search', { params: { criteria: '(Last_Name:starts_with:)', page: 11 } });
    expect(beyond.status).toBe(400);
    expect(beyond.data).toMatchObject({ code: 'LIMIT_REACHED', message: 'Maximum response iteration limit reached' });
  });
});

describe('COQL', () => {
  it('pages by id with LIMIT offset, count and answers 204 past the end', async () => {
    await z.root.post('/_sim/seed', { contacts: 450, companies: 20, seed: 4 });
    const ids: string[] = [];
    for (let offset = 0; ; offset += 200) {
      const res = await z.api.post<Page>('/coql', { select_query: `select Last_Name, Account_Name from Contacts where id is not null order by id asc limit ${offset}, 200` });
      if (res.status === 204) break;
      expect(res.status).toBe(200);
      ids.push(...res.data.data.map((r) => r.id));
      expect(res.data.info).toEqual({ count: res.data.data.length, more_records: offset + 200 < 450 });
    }
    expect(ids).toHaveLength(450);
    expect([...ids].sort()).toEqual(ids);
    const withAccount = await z.api.post<Page>('/coql', { select_query: 'select Account_Name from Contacts where Account_Name is not null limit 1' });
    expect(withAccount.data.data[0]?.Account_Name).toEqual({ id: expect.stringMatching(/^\d{19}$/) });
  });

  it('filters Modified_Time ranges and sorts by Modified_Time', async () => {
    await z.root.post('/_sim/seed', { contacts: 300, seed: 8 });
    const all = await z.api.post<Page>('/coql', { select_query: 'select Modified_Time from Contacts where Last_Name is not null order by Modified_Time asc limit 2000' });
    const times = all.data.data.map((r) => String(r.Modified_Time));
    expect([...times].sort((a, b) => Date.parse(a) - Date.parse(b))).toEqual(times);
    const pivot = times[150] ?? '';
    const after = await z.api.post<Page>('/coql', {
      select_query: `select Modified_Time from Contacts where Modified_Time > '${pivot}' order by Modified_Time asc limit 0, 2000`,
    });
    const expected = times.filter((t) => Date.parse(t) > Date.parse(pivot)).length;
    expect(after.data.data).toHaveLength(expected);
    const created = await z.api.post<{ data: Array<{ details: { id: string } }> }>('/Contacts', { data: [{ Last_Name: 'Fresh', Email: 'fresh@x.com' }] });
    // COQL reads the database directly: no index lag, unlike /search.
    const fresh = await z.api.post<Page>('/coql', { select_query: "select Email from Contacts where Email = 'fresh@x.com'" });
    expect(fresh.status).toBe(200);
    expect(fresh.data.data[0]?.id).toBe(created.data.data[0]?.details.id);
  });

  it('reports syntax errors, invalid columns and the LIMIT ceiling', async () => {
    const syntax = await z.api.post('/coql', { select_query: 'select from Contacts' });
    expect(syntax.status).toBe(400);
    expect(syntax.data).toMatchObject({ code: 'SYNTAX_ERROR', status: 'error' });
    const column = await z.api.post('/coql', { select_query: "select Nope from Contacts where Last_Name = 'x'" });
    expect(column.data).toMatchObject({ code: 'INVALID_QUERY', details: { column_name: 'Nope' } });
    const limit = await z.api.post('/coql', { select_query: "select Last_Name from Contacts where Last_Name = 'x' limit 2001" });
    expect(limit.data).toMatchObject({ code: 'LIMIT_EXCEEDED' });
    expect((await z.api.post('/coql', { select_query: "select Last_Name from Contacts where Last_Name = 'nobody'" })).status).toBe(204);
  });
});
