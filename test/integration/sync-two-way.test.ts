import { hubspotAdmin, zohoAdmin, type ZohoRecord } from '../support/sim-client';
import { startTestStackWithAdmins, type TestStack } from '../support/stack';
import { syncStatusQuery } from '../../src/workflows/messages';
import { settle } from '../support/settle';
import { waitFor } from '../support/wait-for';
import { linkedOf } from '../support/links';
import { callsIn } from '../support/history-calls';

/** End to end: UI edits in one simulator, webhooks to our API, Temporal workflows, API calls to the other simulator. */
describe('two-way sync of contacts and companies', () => {
  let stack: TestStack;
  let hubspot: ReturnType<typeof hubspotAdmin>;
  let zoho: ReturnType<typeof zohoAdmin>;

  beforeAll(async () => {
    // A coalescing window wide enough that the burst test's five edits always land in one pass on a busy machine.
    ({ stack, hubspot, zoho } = await startTestStackWithAdmins({ testFile: __filename, env: { SYNC_COALESCE_MS: '400' } }));
  });
  afterAll(async () => {
    await stack?.close();
  });

  const zohoContactByEmail = async (email: string) => (await zoho.records('Contacts')).find((r) => r.Email === email && !isDeleted(r));
  const hubspotContactByEmail = async (email: string) => (await hubspot.records('contacts')).find((r) => r.properties.email === email && !r.archived);

  test('a contact created in HubSpot is created in Zoho, and both records name each other', async () => {
    const created = await hubspot.create('contacts', { email: 'ada@example.com', firstname: 'Ada', lastname: 'Lovelace', phone: '+44 20 7946 0018' });
    const inZoho = await waitFor(() => zohoContactByEmail('ada@example.com'), 'the contact in Zoho');
    expect(inZoho).toMatchObject({ First_Name: 'Ada', Last_Name: 'Lovelace', HubSpot_ID: created.id });
    const linked = await waitFor(async () => {
      const record = await hubspotContactByEmail('ada@example.com');
      return record?.properties.zoho_record_id ? record : null;
    }, 'the Zoho id written back into HubSpot');
    expect(linked.properties.zoho_record_id).toBe(inZoho.id);
    const pair = await waitFor(() => linkedOf(stack.services.store, { system: 'hubspot', object: 'contact', id: created.id }), 'the stored link');
    expect(pair?.ids.zoho).toBe(inZoho.id);
  });

  test('a hot Zoho contact is created in HubSpot; a cold one is not', async () => {
    const hot = await zoho.create('Contacts', { Email: 'grace@example.com', First_Name: 'Grace', Last_Name: 'Hopper', Lead_Status: 'Hot' });
    const coldAccount = await zoho.create('Accounts', { Account_Name: 'Cold Storage Inc' });
    const cold = await zoho.create('Contacts', { Email: 'cold@example.com', First_Name: 'Cole', Last_Name: 'Dee', Lead_Status: 'Cold', Account_Name: { id: coldAccount.id } });
    const inHubspot = await waitFor(() => hubspotContactByEmail('grace@example.com'), 'the hot contact in HubSpot');
    expect(inHubspot.properties).toMatchObject({ firstname: 'Grace', lastname: 'Hopper', zoho_record_id: hot.id });
    const coldRun = stack.client.workflow.getHandle(`zoho:contact:${cold.id}`);
    await waitFor(async () => (await coldRun.describe()).searchAttributes.SyncStatus?.[0] === 'skipped', 'the cold contact to be skipped');
    expect(await hubspotContactByEmail('cold@example.com')).toBeUndefined();
    // Neither is the cold contact's company: HubSpot gets companies only when a hot contact needs them.
    expect((await hubspot.records('companies')).some((c) => c.properties.name === 'Cold Storage Inc')).toBe(false);
  });

  test('an edit costs exactly one write on the other side and nothing bounces back', async () => {
    const record = await hubspot.create('contacts', { email: 'echo@example.com', firstname: 'Eko', lastname: 'Loop' });
    const inZoho = await waitFor(() => zohoContactByEmail('echo@example.com'), 'the contact in Zoho');
    await waitFor(async () => (await hubspotContactByEmail('echo@example.com'))?.properties.zoho_record_id, 'the link');
    await settle(hubspot, zoho);
    await Promise.all([hubspot.resetStats(), zoho.resetStats()]);

    await hubspot.update('contacts', record.id, { jobtitle: 'Engineer' });
    await waitFor(async () => (await zohoContactByEmail('echo@example.com'))?.Title === 'Engineer', 'the edit in Zoho');
    await settle(hubspot, zoho);
    const [zohoStats, hubspotStats] = await Promise.all([zoho.stats(), hubspot.stats()]);
    expect(zohoStats.writes).toBe(1);
    expect(hubspotStats.writes).toBe(0);
    expect((await zohoContactByEmail('echo@example.com'))?.id).toBe(inZoho.id);
    // the edit's pass sent its one update and saved the entity in one local activity: nothing was saved after it
    const calls = callsIn((await stack.client.workflow.getHandle(`hubspot:contact:${record.id}`).fetchHistory()).events ?? []).map((call) => call.activityType);
    expect(calls.filter((type) => type === 'updateThenSave')).toHaveLength(1);
    expect(calls.slice(calls.indexOf('updateThenSave') + 1)).not.toContain('saveEntity');
  });

  test('a burst of edits to one record becomes one pass: one read of it and one write on the other side', async () => {
    const record = await hubspot.create('contacts', { email: 'burst@example.com', firstname: 'Bur', lastname: 'St' });
    await waitFor(async () => (await hubspotContactByEmail('burst@example.com'))?.properties.zoho_record_id, 'the link');
    await settle(hubspot, zoho);
    const handle = stack.client.workflow.getHandle(`hubspot:contact:${record.id}`);
    const passesBefore = (await handle.query(syncStatusQuery)).passes;
    await Promise.all([hubspot.resetStats(), zoho.resetStats()]);

    for (const title of ['One', 'Two', 'Three', 'Four', 'Five']) await hubspot.update('contacts', record.id, { jobtitle: title });
    await waitFor(async () => (await zohoContactByEmail('burst@example.com'))?.Title === 'Five', 'the last edit in Zoho');
    await settle(hubspot, zoho);
    const [hubspotStats, zohoStats] = await Promise.all([hubspot.stats(), zoho.stats()]);
    const hubspotReads = hubspotStats.requests.byRoute['GET /crm/v3/objects/:objectType/:objectId'] ?? 0;
    expect((await handle.query(syncStatusQuery)).passes - passesBefore).toBe(1);
    expect(hubspotReads).toBe(1);
    expect(zohoStats.writes).toBe(1);
  });

  test("a contact's company follows: linked or created first, then associated", async () => {
    const account = await zoho.create('Accounts', { Account_Name: 'Analytical Engines Ltd', Website: 'https://www.engines.example' });
    await zoho.create('Contacts', { Email: 'charles@example.com', First_Name: 'Charles', Last_Name: 'Babbage', Lead_Status: 'Hot', Account_Name: { id: account.id } });
    const company = await waitFor(async () => (await hubspot.records('companies')).find((c) => c.properties.name === 'Analytical Engines Ltd'), 'the company in HubSpot');
    expect(company.properties).toMatchObject({ domain: 'engines.example', zoho_record_id: account.id });
    const contact = await waitFor(() => hubspotContactByEmail('charles@example.com'), 'the contact in HubSpot');
    // Read back through the HubSpot API itself: the contact's primary company is the one just created.
    const snapshot = await waitFor(async () => {
      const read = await stack.connectors.hubspot.get('contact', contact.id);
      return read?.companyId ? read : null;
    }, 'the association');
    expect(snapshot.companyId).toBe(company.id);
    const pair = await linkedOf(stack.services.store, { system: 'zoho', object: 'company', id: account.id });
    expect(pair?.ids.hubspot).toBe(company.id);
  });

  test('a Zoho delete archives the HubSpot record; a HubSpot delete only unlinks', async () => {
    const kept = await hubspot.create('contacts', { email: 'keep@example.com', firstname: 'Kee', lastname: 'Pa' });
    const keptInZoho = await waitFor(() => zohoContactByEmail('keep@example.com'), 'the contact in Zoho');
    await waitFor(() => linkedOf(stack.services.store, { system: 'hubspot', object: 'contact', id: kept.id }), 'the link');
    await hubspot.remove('contacts', kept.id);
    await waitFor(async () => !(await linkedOf(stack.services.store, { system: 'zoho', object: 'contact', id: keptInZoho.id }))?.ids.hubspot, 'the unlink');
    expect(keptInZoho.HubSpot_ID).toBe(kept.id);
    // Zoho's cross-reference to the deleted record is cleared too: it would name a record that no longer exists.
    const cleared = await waitFor(async () => {
      const record = await zohoContactByEmail('keep@example.com');
      return record && record.HubSpot_ID === null ? record : null;
    }, "Zoho's HubSpot_ID cleared");
    expect(cleared).toMatchObject({ id: keptInZoho.id, First_Name: 'Kee', Last_Name: 'Pa' });

    const gone = await zoho.create('Contacts', { Email: 'gone@example.com', First_Name: 'Gon', Last_Name: 'Ne', Lead_Status: 'Hot' });
    const goneInHubspot = await waitFor(() => hubspotContactByEmail('gone@example.com'), 'the contact in HubSpot');
    await zoho.remove('Contacts', gone.id);
    await waitFor(async () => (await hubspot.records('contacts')).find((r) => r.id === goneInHubspot.id)?.archived === true, 'the HubSpot record archived');
  });

  test('a HubSpot merge into an unsynced contact: the survivor takes the merged record\'s place in Zoho', async () => {
    const merged = await hubspot.create('contacts', { email: 'merged.away@example.com', firstname: 'Mer', lastname: 'Ged' });
    const inZoho = await waitFor(() => zohoContactByEmail('merged.away@example.com'), 'the contact in Zoho');
    await waitFor(() => linkedOf(stack.services.store, { system: 'hubspot', object: 'contact', id: merged.id }), 'the link');
    // The survivor never reached Zoho: it has no last name, which Zoho requires.
    const survivor = await hubspot.create('contacts', { email: 'survivor@example.com', firstname: 'Sur', lastname: '' });
    const survivorRun = stack.client.workflow.getHandle(`hubspot:contact:${survivor.id}`);
    await waitFor(async () => (await survivorRun.query(syncStatusQuery)).status === 'failed', 'the survivor to fail in Zoho');

    await hubspot.merge('contacts', survivor.id, merged.id);
    const followed = await waitFor(async () => {
      const record = (await zoho.records('Contacts')).find((r) => r.id === inZoho.id);
      return record?.HubSpot_ID === survivor.id ? record : null;
    }, 'the Zoho record to name the survivor');
    expect(followed).toMatchObject({ Email: 'survivor@example.com', First_Name: 'Sur', Last_Name: 'Ged' });
    expect((await linkedOf(stack.services.store, { system: 'zoho', object: 'contact', id: inZoho.id }))?.ids.hubspot).toBe(survivor.id);
    expect(await linkedOf(stack.services.store, { system: 'hubspot', object: 'contact', id: merged.id })).toBeNull();
    expect((await hubspot.records('contacts')).find((r) => r.id === survivor.id)?.properties.zoho_record_id).toBe(inZoho.id);
    expect((await zoho.records('Contacts')).filter((r) => !isDeleted(r) && String(r.Email).startsWith('survivor@'))).toHaveLength(1);
  });

  test('a HubSpot merge of two synced contacts removes the merged one\'s link and its id from Zoho', async () => {
    const merged = await hubspot.create('contacts', { email: 'twin.a@example.com', firstname: 'Twin', lastname: 'A' });
    const survivor = await hubspot.create('contacts', { email: 'twin.b@example.com', firstname: 'Twin', lastname: 'B' });
    const mergedInZoho = await waitFor(() => zohoContactByEmail('twin.a@example.com'), 'the first contact in Zoho');
    const survivorInZoho = await waitFor(() => zohoContactByEmail('twin.b@example.com'), 'the second contact in Zoho');
    await waitFor(() => linkedOf(stack.services.store, { system: 'hubspot', object: 'contact', id: merged.id }), 'the first link');
    await waitFor(() => linkedOf(stack.services.store, { system: 'hubspot', object: 'contact', id: survivor.id }), 'the second link');

    await hubspot.merge('contacts', survivor.id, merged.id);
    await waitFor(async () => (await linkedOf(stack.services.store, { system: 'hubspot', object: 'contact', id: merged.id })) === null, 'the merged link removed');
    const cleared = await waitFor(async () => {
      const record = (await zoho.records('Contacts')).find((r) => r.id === mergedInZoho.id);
      return record?.HubSpot_ID === null ? record : null;
    }, "the merged record's id cleared from Zoho");
    expect(cleared).toMatchObject({ Email: 'twin.a@example.com' });
    expect((await linkedOf(stack.services.store, { system: 'hubspot', object: 'contact', id: survivor.id }))?.ids.zoho).toBe(survivorInZoho.id);
  });
});

function isDeleted(record: ZohoRecord): boolean {
  return record.$deleted === true || record.deleted === true;
}
