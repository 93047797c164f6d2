import type { Client } from '@hubspot/api-client';
import { PropertyCreateFieldTypeEnum, PropertyCreateTypeEnum } from '@hubspot/api-client/lib/codegen/crm/properties';
import { createHubspotSimulator, type HubspotSimulator } from '../../../src/sandbox/hubspot';
import { connectSdkClient } from '../../../src/sandbox/hubspot/sdk-client';
import { failure } from './hubspot-test-client';

let sim: HubspotSimulator;
let hs: Client;

beforeAll(async () => {
  sim = await createHubspotSimulator({ port: 0, rateLimit: { perTenSeconds: 10_000, searchPerSecond: 100 } });
  hs = await connectSdkClient(sim);
});
afterAll(() => sim.close());
beforeEach(() => fetch(`${sim.url}/_sim/reset`, { method: 'POST' }));

describe('contacts and companies through @hubspot/api-client', () => {
  test('create (201), get, update, archive', async () => {
    const created = await hs.crm.contacts.basicApi.create({ properties: { email: 'Ada@Example.com ', firstname: 'Ada' }, associations: [] });
    expect(created.id).toMatch(/^\d+$/);
    expect(created.properties.email).toBe('ada@example.com');
    expect(created.properties.hs_object_id).toBe(created.id);
    expect(created.createdAt).toBeInstanceOf(Date);

    const byEmail = await hs.crm.contacts.basicApi.getById('ADA@example.com', ['firstname', 'phone'], undefined, undefined, false, 'email');
    expect(byEmail.id).toBe(created.id);
    expect(byEmail.properties).toMatchObject({ firstname: 'Ada', phone: null, lastmodifieddate: created.properties.lastmodifieddate });

    const updated = await hs.crm.contacts.basicApi.update(created.id, { properties: { lastname: 'Lovelace', firstname: '' } });
    expect(updated.properties.lastname).toBe('Lovelace');
    expect(updated.properties.firstname).toBeNull();
    expect(Date.parse(updated.properties.lastmodifieddate ?? '')).toBeGreaterThan(Date.parse(created.properties.lastmodifieddate ?? ''));
    expect(updated.updatedAt.getTime()).toBe(Date.parse(updated.properties.lastmodifieddate ?? ''));

    await hs.crm.contacts.basicApi.archive(created.id);
    const gone = await failure(hs.crm.contacts.basicApi.getById(created.id));
    expect(gone.code).toBe(404);
    expect(gone.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND', context: { id: [created.id] } });
    const archived = await hs.crm.contacts.basicApi.getById(created.id, undefined, undefined, undefined, true);
    expect(archived.archived).toBe(true);
  });

  test('modification stamps strictly increase on every write, even within one millisecond', async () => {
    const company = await hs.crm.companies.basicApi.create({ properties: { name: 'Acme', domain: 'acme.com' }, associations: [] });
    const stamps = [company.properties.hs_lastmodifieddate];
    for (let i = 0; i < 5; i += 1) {
      const next = await hs.crm.companies.basicApi.update(company.id, { properties: { description: `v${i}` } });
      stamps.push(next.properties.hs_lastmodifieddate);
    }
    const ms = stamps.map((s) => Date.parse(s ?? ''));
    for (let i = 1; i < ms.length; i += 1) expect(ms[i]).toBeGreaterThan(ms[i - 1] ?? Infinity);
    const same = await hs.crm.companies.basicApi.update(company.id, { properties: { description: 'v4' } });
    expect(same.properties.hs_lastmodifieddate).toBe(stamps[stamps.length - 1]);
  });

  test('duplicate email is a 409 CONFLICT naming the existing id; company domains may repeat', async () => {
    const first = await hs.crm.contacts.basicApi.create({ properties: { email: 'dup@example.com' }, associations: [] });
    const dup = await failure(hs.crm.contacts.basicApi.create({ properties: { email: 'DUP@example.com' }, associations: [] }));
    expect(dup.code).toBe(409);
    expect(dup.body).toMatchObject({ status: 'error', category: 'CONFLICT', message: `Contact already exists. Existing ID: ${first.id}` });
    expect(JSON.stringify(dup.body)).toMatch(/"correlationId":"[0-9a-f-]{36}"/);
    const a = await hs.crm.companies.basicApi.create({ properties: { name: 'A', domain: 'same.com' }, associations: [] });
    const b = await hs.crm.companies.basicApi.create({ properties: { name: 'B', domain: 'same.com' }, associations: [] });
    expect(a.id).not.toBe(b.id);
  });

  test('invalid email and unknown properties are 400 VALIDATION_ERROR', async () => {
    const bad = await failure(hs.crm.contacts.basicApi.create({ properties: { email: 'not-an-email' }, associations: [] }));
    expect(bad.code).toBe(400);
    expect(bad.body).toMatchObject({ category: 'VALIDATION_ERROR' });
    expect(JSON.stringify(bad.body)).toContain('INVALID_EMAIL');
    const unknown = await failure(hs.crm.contacts.basicApi.create({ properties: { email: 'ok@example.com', shoe_size: '9' }, associations: [] }));
    expect(unknown.code).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('PROPERTY_DOESNT_EXIST');
    const raw = await fetch(`${sim.url}/crm/v3/objects/contacts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(raw.status).toBe(401);
    expect(raw.headers.get('content-type')).toMatch(/^application\/json/);
  });

  test('list pages with an after cursor until paging is absent; properties repeated or comma-joined', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      ids.push((await hs.crm.contacts.basicApi.create({ properties: { email: `p${i}@example.com`, firstname: `P${i}` }, associations: [] })).id);
    }
    await hs.crm.contacts.basicApi.archive(ids[3] ?? '');
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await hs.crm.contacts.basicApi.getPage(3, after, ['firstname', 'email']);
      seen.push(...page.results.map((r) => r.id));
      expect(page.results.every((r) => r.properties.firstname !== undefined)).toBe(true);
      after = page.paging?.next?.after;
      pages += 1;
    } while (after);
    expect(pages).toBe(2);
    expect(seen).toEqual(ids.filter((_, i) => i !== 3));
    const all = await hs.crm.contacts.getAll();
    expect(all).toHaveLength(6);

    const token = (await (await fetch(`${sim.url}/oauth/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: sim.options.clientId, client_secret: sim.options.clientSecret, refresh_token: sim.options.refreshToken }),
    })).json()) as { access_token: string };
    const res = await fetch(`${sim.url}/crm/v3/objects/contacts?limit=1&properties=firstname,lastname&archived=true`, {
      headers: { authorization: `Bearer ${token.access_token}` },
    });
    const body = (await res.json()) as { results: Array<{ id: string; properties: Record<string, unknown> }> };
    expect(body.results.map((r) => r.id)).toEqual([ids[3]]);
    expect(Object.keys(body.results[0]?.properties ?? {})).toEqual(expect.arrayContaining(['firstname', 'lastname']));
  });

  test('a hasUniqueValue property (zoho_record_id) is enforced and usable as idProperty', async () => {
    const def = await hs.crm.properties.coreApi.create('contacts', {
      name: 'zoho_record_id', label: 'Zoho record id', type: PropertyCreateTypeEnum.String, fieldType: PropertyCreateFieldTypeEnum.Text, groupName: 'contactinformation', hasUniqueValue: true,
    });
    expect(def.hasUniqueValue).toBe(true);
    expect((await hs.crm.properties.coreApi.getByName('contacts', 'zoho_record_id')).name).toBe('zoho_record_id');
    const again = await failure(hs.crm.properties.coreApi.create('contacts', { name: 'zoho_record_id', label: 'x', type: PropertyCreateTypeEnum.String, fieldType: PropertyCreateFieldTypeEnum.Text, groupName: 'contactinformation' }));
    expect(again.code).toBe(409);

    const a = await hs.crm.contacts.basicApi.create({ properties: { email: 'z1@example.com', zoho_record_id: 'Z-1' }, associations: [] });
    const clash = await failure(hs.crm.contacts.basicApi.create({ properties: { email: 'z2@example.com', zoho_record_id: 'Z-1' }, associations: [] }));
    // HubSpot's 400 for a taken unique value names neither the record nor its id (the email's 409 does).
    expect(clash.code).toBe(400);
    expect(clash.body).toMatchObject({ category: 'VALIDATION_ERROR', message: expect.stringContaining('already has that value') });
    expect(JSON.stringify(clash.body)).not.toContain(a.id);
    expect((await hs.crm.contacts.basicApi.getById('Z-1', undefined, undefined, undefined, false, 'zoho_record_id')).id).toBe(a.id);

    const upsert = await hs.crm.contacts.batchApi.upsert({
      inputs: [
        { id: 'Z-1', idProperty: 'zoho_record_id', properties: { firstname: 'Again' } },
        { id: 'Z-2', idProperty: 'zoho_record_id', properties: { email: 'z2@example.com' } },
      ],
    });
    const byId = new Map(upsert.results.map((r) => [r.properties.zoho_record_id, r]));
    expect(byId.get('Z-1')).toMatchObject({ id: a.id, _new: false });
    expect(byId.get('Z-2')?._new).toBe(true);
    const replay = await hs.crm.contacts.batchApi.upsert({ inputs: [{ id: 'Z-2', idProperty: 'zoho_record_id', properties: { email: 'z2@example.com' } }] });
    expect(replay.results[0]).toMatchObject({ id: byId.get('Z-2')?.id, _new: false });
    const notUnique = await failure(hs.crm.contacts.basicApi.getById('Ada', undefined, undefined, undefined, false, 'firstname'));
    expect(notUnique.code).toBe(400);
  });
});
