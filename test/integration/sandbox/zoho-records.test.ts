import { ISO_SECONDS_WITH_OFFSET, type ZohoHarness, startZoho } from './zoho-test-client';

interface WriteItem {
  code: string;
  details: Record<string, unknown>;
  message: string;
  status: string;
  action?: string;
  duplicate_field?: string | null;
}
interface WriteResponse {
  data: WriteItem[];
}

let z: ZohoHarness;

beforeAll(async () => {
  z = await startZoho({ searchIndexDelayMs: 0 });
});
afterAll(async () => {
  await z.sim.close();
});
beforeEach(async () => {
  await z.root.post('/_sim/reset');
});

async function createAccount(name: string): Promise<string> {
  const res = await z.api.post<WriteResponse>('/Accounts', { data: [{ Account_Name: name }] });
  expect(res.status).toBe(201);
  return String(res.data.data[0]?.details.id);
}

describe('insert', () => {
  it('answers 201 with the documented details for a single record', async () => {
    const res = await z.api.post<WriteResponse>('/Contacts', { data: [{ Last_Name: 'Kingsley', First_Name: 'Anna', Email: 'anna@x.com' }], trigger: [] });
    expect(res.status).toBe(201);
    const [item] = res.data.data;
    expect(item).toMatchObject({ code: 'SUCCESS', message: 'record added', status: 'success' });
    expect(item?.details).toEqual({
      Modified_Time: expect.stringMatching(ISO_SECONDS_WITH_OFFSET),
      Modified_By: { name: 'Patricia Boyle', id: '5725767000000411001' },
      Created_Time: expect.stringMatching(ISO_SECONDS_WITH_OFFSET),
      id: expect.stringMatching(/^\d{19}$/),
      Created_By: { name: 'Patricia Boyle', id: '5725767000000411001' },
      $approval_state: 'approved',
    });
  });

  it('takes a JSON body sent without a Content-Type header, as Zoho\'s official SDKs send it', async () => {
    const body = JSON.stringify({ data: [{ Last_Name: 'Bare', Email: 'bare@x.com' }] });
    const res = await fetch(`${z.sim.url}/crm/v8/Contacts`, {
      method: 'POST',
      // A Blob without a type is the one body fetch sends with no Content-Type at all.
      body: new Blob([body]),
      headers: { Authorization: `Zoho-oauthtoken ${z.token}` },
    });
    expect(res.status).toBe(201);
    const json = (await res.json()) as WriteResponse;
    expect(json.data[0]).toMatchObject({ code: 'SUCCESS', message: 'record added' });
  });

  it('answers 207 for a mixed batch with per-record errors in input order', async () => {
    const res = await z.api.post<WriteResponse>('/Contacts', {
      data: [{ Last_Name: 'Ok' }, { First_Name: 'NoLast' }, { Last_Name: 'Bad', Email: 'not-an-email' }, { Last_Name: 'X', Nope__c: 1 }],
    });
    expect(res.status).toBe(207);
    expect(res.data.data.map((d) => d.code)).toEqual(['SUCCESS', 'MANDATORY_NOT_FOUND', 'INVALID_DATA', 'INVALID_DATA']);
    expect(res.data.data[1]).toEqual({
      code: 'MANDATORY_NOT_FOUND',
      details: { api_name: 'Last_Name', json_path: '$.data[1].Last_Name' },
      message: 'required field not found',
      status: 'error',
    });
    expect(res.data.data[2]).toEqual({
      code: 'INVALID_DATA',
      details: { api_name: 'Email', json_path: '$.data[2].Email' },
      message: 'The field value given for Email is invalid',
      status: 'error',
    });
    expect(res.data.data[3]?.details).toEqual({ api_name: 'Nope__c', json_path: '$.data[3].Nope__c' });
    expect(res.data.data[3]?.message).toBe('the field api name given seems to be invalid');
  });

  it('answers 400 when every record failed, and enforces Account_Name on Accounts', async () => {
    const res = await z.api.post<WriteResponse>('/Accounts', { data: [{ Website: 'https://x.example' }] });
    expect(res.status).toBe(400);
    expect(res.data.data[0]).toMatchObject({ code: 'MANDATORY_NOT_FOUND', details: { api_name: 'Account_Name' } });
  });

  it('rejects more than 100 records and a body without data', async () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ Last_Name: `L${i}` }));
    expect((await z.api.post('/Contacts', { data: many })).status).toBe(400);
    const none = await z.api.post('/Contacts', { trigger: [] });
    expect(none.status).toBe(400);
    expect(none.data).toMatchObject({ code: 'MANDATORY_NOT_FOUND', status: 'error' });
  });

  it('stores Account_Name on Contacts as a lookup {name, id} and rejects unknown account ids', async () => {
    const accountId = await createAccount('Bentley Systems');
    const ok = await z.api.post<WriteResponse>('/Contacts', { data: [{ Last_Name: 'L', Account_Name: { id: accountId } }] });
    const id = String(ok.data.data[0]?.details.id);
    const got = await z.api.get<{ data: Array<Record<string, unknown>> }>(`/Contacts/${id}`);
    expect(got.status).toBe(200);
    expect(got.data.data[0]?.Account_Name).toEqual({ name: 'Bentley Systems', id: accountId });
    expect(got.data.data[0]?.Owner).toEqual({ name: 'Patricia Boyle', id: '5725767000000411001', email: expect.any(String) });
    const bad = await z.api.post<WriteResponse>('/Contacts', { data: [{ Last_Name: 'L', Account_Name: { id: '5725767000999999999' } }] });
    expect(bad.status).toBe(400);
    expect(bad.data.data[0]).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'Account_Name' } });
  });

  it('does not treat Email as unique by default', async () => {
    const res = await z.api.post<WriteResponse>('/Contacts', { data: [{ Last_Name: 'A', Email: 'same@x.com' }, { Last_Name: 'B', Email: 'same@x.com' }] });
    expect(res.status).toBe(201);
  });
});

describe('custom fields', () => {
  it('lists field metadata and creates a unique HubSpot_ID that blocks duplicates', async () => {
    const fields = await z.api.get<{ fields: Array<Record<string, unknown>> }>('/settings/fields', { params: { module: 'Contacts' } });
    expect(fields.status).toBe(200);
    expect(fields.data.fields.find((f) => f.api_name === 'Last_Name')).toMatchObject({ data_type: 'text', system_mandatory: true, unique: {} });
    expect(fields.data.fields.some((f) => f.api_name === 'HubSpot_ID')).toBe(false);

    const created = await z.api.post<{ fields: WriteItem[] }>(
      '/settings/fields',
      { fields: [{ field_label: 'HubSpot ID', data_type: 'text', length: 64, unique: { case_sensitive: false } }] },
      { params: { module: 'Contacts' } },
    );
    expect(created.status).toBe(201);
    expect(created.data.fields[0]).toMatchObject({ code: 'SUCCESS', message: 'field created', details: { id: expect.any(String) } });
    const after = await z.api.get<{ fields: Array<Record<string, unknown>> }>('/settings/fields', { params: { module: 'Contacts' } });
    expect(after.data.fields.find((f) => f.api_name === 'HubSpot_ID')).toMatchObject({ data_type: 'text', length: 64, unique: { case_sensitive: false }, custom_field: true });

    const first = await z.api.post<WriteResponse>('/Contacts', { data: [{ Last_Name: 'A', HubSpot_ID: 'hs-1' }] });
    const firstId = String(first.data.data[0]?.details.id);
    const dup = await z.api.post<WriteResponse>('/Contacts', { data: [{ Last_Name: 'B', HubSpot_ID: 'HS-1' }] });
    expect(dup.status).toBe(400);
    expect(dup.data.data[0]).toMatchObject({
      code: 'DUPLICATE_DATA',
      message: 'duplicate data',
      details: { api_name: 'HubSpot_ID', id: firstId, json_path: '$.data[0].HubSpot_ID', duplicate_record: { id: firstId } },
    });
    const again = await z.api.post<{ fields: WriteItem[] }>('/settings/fields', { fields: [{ field_label: 'HubSpot ID', data_type: 'text' }] }, { params: { module: 'Contacts' } });
    expect(again.status).toBe(400);
    expect(again.data.fields[0]?.code).toBe('DUPLICATE_DATA');
  });

  it('can make Email unique through options', async () => {
    const strict = await startZoho({ uniqueStandardFields: { Contacts: ['Email'], Accounts: [] } });
    try {
      const res = await strict.api.post<WriteResponse>('/Contacts', { data: [{ Last_Name: 'A', Email: 'u@x.com' }, { Last_Name: 'B', Email: 'U@x.com' }] });
      expect(res.status).toBe(207);
      expect(res.data.data[1]).toMatchObject({ code: 'DUPLICATE_DATA', details: { api_name: 'Email' } });
    } finally {
      await strict.sim.close();
    }
  });
});

describe('update, upsert, delete', () => {
  it('updates by id in body and by path, keeping Created_Time and answering "record updated"', async () => {
    const created = await z.api.post<WriteResponse>('/Contacts', { data: [{ Last_Name: 'Old' }] });
    const id = String(created.data.data[0]?.details.id);
    const bulk = await z.api.put<WriteResponse>('/Contacts', { data: [{ id, Last_Name: 'New' }, { Last_Name: 'NoId' }, { id: '5725767000888888888', Last_Name: 'Ghost' }] });
    expect(bulk.status).toBe(207);
    expect(bulk.data.data[0]).toMatchObject({ code: 'SUCCESS', message: 'record updated', details: { id, Created_Time: created.data.data[0]?.details.Created_Time } });
    expect(bulk.data.data[1]).toMatchObject({ code: 'MANDATORY_NOT_FOUND', details: { api_name: 'id' } });
    expect(bulk.data.data[2]).toMatchObject({ code: 'INVALID_DATA', message: 'the id given seems to be invalid' });
    const one = await z.api.put<WriteResponse>(`/Contacts/${id}`, { data: [{ Title: 'CTO' }] });
    expect(one.status).toBe(200);
    const got = await z.api.get<{ data: Array<Record<string, unknown>> }>(`/Contacts/${id}`, { params: { fields: 'Last_Name,Title' } });
    expect(got.data.data[0]).toEqual({ id, Last_Name: 'New', Title: 'CTO' });
    expect((await z.api.put(`/Contacts/5725767000777777777`, { data: [{ Title: 'x' }] })).status).toBe(400);
  });

  it('refuses an update of a record modified after If-Unmodified-Since with 412 ALREADY_MODIFIED and its meta, and a malformed header with 400', async () => {
    const created = await z.api.post<WriteResponse>('/Contacts', { data: [{ Last_Name: 'A', Title: 'Old' }, { Last_Name: 'B' }] });
    const [a, b] = created.data.data.map((d) => String(d.details.id));
    const modified = String(created.data.data[0]?.details.Modified_Time);
    const secondBefore = new Date(Date.parse(modified) - 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
    const since = (value: string) => ({ headers: { 'If-Unmodified-Since': value } });

    const refused = await z.api.put<WriteResponse>('/Contacts', { data: [{ id: a, Title: 'New' }, { id: b, Title: 'New' }] }, since(secondBefore));
    expect(refused.status).toBe(412);
    expect(refused.data.data.map((item) => item.code)).toEqual(['ALREADY_MODIFIED', 'ALREADY_MODIFIED']);
    expect(refused.data.data[0]).toMatchObject({ status: 'error', details: { id: a, Modified_Time: modified, Created_Time: modified, Modified_By: { id: expect.any(String) } } });
    expect((await z.api.put<WriteResponse>(`/Contacts/${a}`, { data: [{ Title: 'New' }] }, since(secondBefore))).status).toBe(412);
    // refused beside another refusal: 400, as any batch with no success
    const mixed = await z.api.put<WriteResponse>('/Contacts', { data: [{ id: a, Title: 'New' }, { Title: 'No id' }] }, since(secondBefore));
    expect(mixed.status).toBe(400);
    expect(mixed.data.data.map((item) => item.code)).toEqual(['ALREADY_MODIFIED', 'MANDATORY_NOT_FOUND']);
    const title = async () => (await z.api.get<{ data: Array<Record<string, unknown>> }>(`/Contacts/${a}`)).data.data[0]?.Title;
    expect(await title()).toBe('Old');
    expect((await z.root.get('/_sim/stats')).data.conditionalRefusals).toBe(4);

    // not modified after it (the same second included): written
    expect((await z.api.put<WriteResponse>('/Contacts', { data: [{ id: a, Title: 'New' }] }, since(modified))).status).toBe(200);
    expect(await title()).toBe('New');

    const malformed = await z.api.put<WriteResponse>('/Contacts', { data: [{ id: a, Title: 'Newer' }] }, since('yesterday'));
    expect(malformed.status).toBe(400);
    expect(malformed.data).toMatchObject({ code: 'INVALID_DATA', details: { header_name: 'If-Unmodified-Since' } });
    expect(await title()).toBe('New');
  });

  it('upserts on Email for Contacts and Account_Name for Accounts by default', async () => {
    const first = await z.api.post<WriteResponse>('/Contacts/upsert', { data: [{ Last_Name: 'A', Email: 'up@x.com' }] });
    expect(first.status).toBe(200);
    expect(first.data.data[0]).toMatchObject({ code: 'SUCCESS', action: 'insert', duplicate_field: null, message: 'record added' });
    const second = await z.api.post<WriteResponse>('/Contacts/upsert', { data: [{ Last_Name: 'B', Email: 'UP@x.com' }, { Last_Name: 'C', Email: 'other@x.com' }] });
    expect(second.status).toBe(200);
    expect(second.data.data[0]).toMatchObject({ action: 'update', duplicate_field: 'Email', message: 'record updated', details: { id: first.data.data[0]?.details.id } });
    expect(second.data.data[1]).toMatchObject({ action: 'insert' });
    const acc = await z.api.post<WriteResponse>('/Accounts/upsert', { data: [{ Account_Name: 'Zylker' }] });
    const acc2 = await z.api.post<WriteResponse>('/Accounts/upsert', { data: [{ Account_Name: 'Zylker', Website: 'https://zylker.example' }] });
    expect(acc2.data.data[0]).toMatchObject({ action: 'update', duplicate_field: 'Account_Name', details: { id: acc.data.data[0]?.details.id } });
  });

  it('upserts on a unique custom field given in duplicate_check_fields and rejects non-unique check fields', async () => {
    await z.api.post('/settings/fields', { fields: [{ field_label: 'HubSpot ID', data_type: 'text', unique: {} }] }, { params: { module: 'Accounts' } });
    const notUnique = await z.api.post('/Accounts/upsert', { data: [{ Account_Name: 'A' }], duplicate_check_fields: ['HubSpot_ID'] });
    expect(notUnique.status).toBe(400);
    await z.api.post('/settings/fields', { fields: [{ field_label: 'Ext Key', data_type: 'text', unique: { case_sensitive: false } }] }, { params: { module: 'Accounts' } });
    const a = await z.api.post<WriteResponse>('/Accounts/upsert', { data: [{ Account_Name: 'One', Ext_Key: 'k1' }], duplicate_check_fields: ['Ext_Key'] });
    const b = await z.api.post<WriteResponse>('/Accounts/upsert', { data: [{ Account_Name: 'One renamed', Ext_Key: 'k1' }], duplicate_check_fields: ['Ext_Key'] });
    expect(b.data.data[0]).toMatchObject({ action: 'update', duplicate_field: 'Ext_Key', details: { id: a.data.data[0]?.details.id } });
    // Without duplicate_check_fields the unique field is still consulted after Account_Name.
    const c = await z.api.post<WriteResponse>('/Accounts/upsert', { data: [{ Account_Name: 'Different', Ext_Key: 'k1' }] });
    expect(c.data.data[0]).toMatchObject({ action: 'update', duplicate_field: 'Ext_Key' });
  });

  it('deletes by ids with per-record results and by path', async () => {
    const created = await z.api.post<WriteResponse>('/Contacts', { data: [{ Last_Name: 'A' }, { Last_Name: 'B' }] });
    const [a, b] = created.data.data.map((d) => String(d.details.id));
    const res = await z.api.delete<WriteResponse>('/Contacts', { params: { ids: `${a},5725767000666666666` } });
    expect(res.status).toBe(207);
    expect(res.data.data[0]).toEqual({ code: 'SUCCESS', details: { id: a }, message: 'record deleted', status: 'success' });
    expect((await z.api.delete(`/Contacts/${b}`)).status).toBe(200);
    expect((await z.api.get(`/Contacts/${b}`)).status).toBe(204);
    expect((await z.api.delete('/Contacts')).data).toMatchObject({ code: 'REQUIRED_PARAM_MISSING', details: { param_name: 'ids' } });
    const deleted = await z.api.get<{ data: Array<{ id: string }> }>('/Contacts/deleted');
    expect(deleted.data.data.map((d) => d.id).sort()).toEqual([a, b].sort());
  });
});

describe('list', () => {
  it('requires fields, answers 204 when empty and the documented info block', async () => {
    const missing = await z.api.get('/Contacts');
    expect(missing.status).toBe(400);
    expect(missing.data).toEqual({ code: 'REQUIRED_PARAM_MISSING', details: { param_name: 'fields' }, message: 'required param is missing', status: 'error' });
    const empty = await z.api.get('/Contacts', { params: { fields: 'Last_Name' } });
    expect(empty.status).toBe(204);
    expect(empty.data).toBe('');
    await z.root.post('/_sim/seed', { contacts: 7, companies: 2, seed: 3 });
    const res = await z.api.get<{ data: Array<Record<string, unknown>>; info: Record<string, unknown> }>('/Contacts', { params: { fields: 'Last_Name,Email', per_page: 5 } });
    expect(res.status).toBe(200);
    expect(Object.keys(res.data.data[0] ?? {}).sort()).toEqual(['Email', 'Last_Name', 'id']);
    expect(res.data.info).toEqual({
      call: false, per_page: 5, next_page_token: expect.any(String), count: 5, sort_by: 'id', page: 1,
      previous_page_token: null, page_token_expiry: expect.stringMatching(ISO_SECONDS_WITH_OFFSET), sort_order: 'desc', email: false, more_records: true,
    });
    const ids = res.data.data.map((r) => String(r.id));
    expect([...ids].sort().reverse()).toEqual(ids);
  });

  it('caps discrete pages at 2,000 records and pages beyond with page_token', async () => {
    await z.root.post('/_sim/seed', { contacts: 2300, seed: 5 });
    const tooFar = await z.api.get('/Contacts', { params: { fields: 'Last_Name', page: 11 } });
    expect(tooFar.status).toBe(400);
    expect(tooFar.data).toEqual({
      code: 'DISCRETE_PAGINATION_LIMIT_EXCEEDED', details: { limit: 2000 }, message: 'You can only get the first 2000 records without using page_token param', status: 'error',
    });
    const seen = new Set<string>();
    let token: string | null = null;
    let lastModified = '';
    for (let guard = 0; guard < 20; guard += 1) {
      const params: Record<string, string | number> = { fields: 'Modified_Time', sort_by: 'Modified_Time', sort_order: 'asc', per_page: 200 };
      if (token) params.page_token = token;
      const res = await z.api.get<{ data: Array<{ id: string; Modified_Time: string }>; info: { more_records: boolean; next_page_token: string | null } }>('/Contacts', { params });
      expect(res.status).toBe(200);
      for (const r of res.data.data) {
        expect(r.Modified_Time >= lastModified).toBe(true);
        lastModified = r.Modified_Time;
        seen.add(r.id);
      }
      token = res.data.info.next_page_token;
      if (!res.data.info.more_records) break;
    }
    expect(seen.size).toBe(2300);
    const mismatch = await z.api.get('/Contacts', { params: { fields: 'Last_Name', page_token: 'nope' } });
    expect(mismatch.data).toMatchObject({ code: 'TOKEN_BOUND_DATA_MISMATCH' });
  });

  it('honours If-Modified-Since (304 when nothing changed) and sorts by Created_Time', async () => {
    await z.root.post('/_sim/seed', { contacts: 30, seed: 12 });
    const future = new Date(Date.now() + 60_000).toUTCString();
    const none = await z.api.get('/Contacts', { params: { fields: 'Last_Name' }, headers: { 'If-Modified-Since': future } });
    expect(none.status).toBe(304);
    const created = await z.api.post<WriteResponse>('/Contacts', { data: [{ Last_Name: 'Recent' }] });
    const since = new Date(Date.now() - 5 * 60_000).toUTCString();
    const recent = await z.api.get<{ data: Array<{ id: string }> }>('/Contacts', { params: { fields: 'Last_Name' }, headers: { 'If-Modified-Since': since } });
    expect(recent.data.data.map((r) => r.id)).toEqual([created.data.data[0]?.details.id]);
    const asc = await z.api.get<{ data: Array<{ Created_Time: string }> }>('/Contacts', { params: { fields: 'Created_Time', sort_by: 'Created_Time', sort_order: 'asc' } });
    const times = asc.data.data.map((r) => Date.parse(r.Created_Time));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('answers 204 for an unknown id and 400 INVALID_MODULE for an unknown module', async () => {
    expect((await z.api.get('/Contacts/5725767000555555555')).status).toBe(204);
    const bad = await z.api.get('/Leadz', { params: { fields: 'Last_Name' } });
    expect(bad.status).toBe(400);
    expect(bad.data).toEqual({ code: 'INVALID_MODULE', details: { resource_path_index: 0 }, message: 'the module name given seems to be invalid', status: 'error' });
  });
});

describe('users', () => {
  it("answers the token's user for CurrentUser, both users for AllUsers, 204 for a type none is, and 400 for an unknown type", async () => {
    const ids = async (type: string) => {
      const res = await z.api.get<{ users: { id: string }[] }>('/users', { params: { type } });
      expect(res.status).toBe(200);
      return res.data.users.map((user) => user.id);
    };
    const [current] = await ids('CurrentUser');
    const created = await z.api.post<WriteResponse>('/Contacts', { data: [{ Last_Name: 'Mine' }] });
    expect(created.data.data[0]?.details.Modified_By).toMatchObject({ id: current });
    expect(await ids('AllUsers')).toEqual(expect.arrayContaining([current]));
    expect(await ids('AllUsers')).toHaveLength(2);
    expect((await z.api.get('/users', { params: { type: 'DeletedUsers' } })).status).toBe(204);
    expect((await z.api.get('/users', { params: { type: 'Everyone' } })).status).toBe(400);
  });
});
