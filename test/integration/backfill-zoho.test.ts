import { zohoWatchChannel } from '../../src/systems/zoho/watch-start';
import { hubspotAdmin, zohoAdmin } from '../support/sim-client';
import type { TestStack } from '../support/stack';
import { settle } from '../support/settle';
import { waitFor } from '../support/wait-for';
import { linkedOf } from '../support/links';
import { progressOf, repeated, seed, settledCount, startBackfill, startBackfillTestStack } from './backfill-harness';

/**
 * Go-live: 2,000 existing Zoho contacts (about a fifth of them hot) and their accounts are loaded into HubSpot by one
 * backfill while people keep editing linked records.
 */
describe('backfill from Zoho', () => {
  let stack: TestStack;
  let hubspot: ReturnType<typeof hubspotAdmin>;
  let zoho: ReturnType<typeof zohoAdmin>;
  const live: { email: string; hubspotId: string }[] = [];
  const poison: Record<'email' | 'phone', string> = { email: '', phone: '' };

  beforeAll(async () => {
    ({ stack, hubspot, zoho } = await startBackfillTestStack(__filename));
    await seed(stack.zoho.url, { contacts: 2000, companies: 60, seed: 5 });

    // Records that predate crm-sync: created while no notification channel exists.
    await stack.connectors.zoho.disableWatch(stack.config.zoho.channelId);
    poison.email = (await zoho.create('Contacts', { Last_Name: 'Poison', Email: 'poison@example.c0m', Lead_Status: 'Hot' })).id;
    poison.phone = (await zoho.create('Contacts', { Last_Name: 'Phony', Email: 'phony@example.com', Phone: 'call me maybe', Lead_Status: 'Hot' })).id;
    await stack.connectors.zoho.enableWatch({ ...zohoWatchChannel(stack.config), expiry: new Date(Date.now() + 6 * 86_400_000) });

    // Three contacts already synced by live sync, edited while the backfill runs.
    for (const name of ['ada', 'alan', 'grace']) {
      const email = `${name}.live@example.com`;
      const created = await hubspot.create('contacts', { email, firstname: name, lastname: 'Live' });
      await waitFor(async () => (await zoho.records('Contacts')).find((r) => r.Email === email && r.HubSpot_ID === created.id), `${email} in Zoho`);
      live.push({ email, hubspotId: created.id });
    }
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  test('every hot contact is created in HubSpot once and linked both ways; live edits keep flowing; poison records are reported', async () => {
    /** A person edits a linked contact in HubSpot; how long until Zoho shows it. */
    const editLatencies = async (label: string): Promise<number[]> => {
      const latencies: number[] = [];
      for (const [i, record] of live.entries()) {
        const title = `${label} ${i}`;
        const edited = Date.now();
        await hubspot.update('contacts', record.hubspotId, { jobtitle: title });
        await waitFor(async () => (await zoho.records('Contacts')).find((r) => r.Email === record.email)?.Title === title, `the edit of ${record.email}`, 30_000, 50);
        latencies.push(Date.now() - edited);
      }
      return latencies;
    };
    const baseline = await editLatencies('Edited before backfill');

    const startedAt = Date.now();
    const handle = await startBackfill(stack, { from: 'zoho', object: 'contact' });

    // Live edits made while pages are being written reach Zoho while the backfill still runs: live sync does not wait
    // for it (how fast is the benchmarks' business: npm run bench -- backfill-with-live).
    await waitFor(async () => (await progressOf(handle)).pagesDone >= 2, 'two pages done', 60_000);
    const latencies = await editLatencies('Edited during backfill');
    const during = await progressOf(handle);
    expect(during.state).toBe('running');
    expect(during.seen).toBeLessThan(during.total ?? 0);

    const result = await handle.result();
    const seconds = (Date.now() - startedAt) / 1000;
    process.stderr.write(`backfill zoho→hubspot: ${result.seen} records in ${seconds.toFixed(1)} s = ${(result.seen / seconds).toFixed(1)} records/s; ${JSON.stringify({ ...result, duplicates: result.duplicates.length })}; live edit latencies ${latencies.join(', ')} ms (without a backfill: ${baseline.join(', ')} ms)\n`);

    const zohoContacts = (await zoho.records('Contacts')).filter((r) => r.$deleted !== true);
    // Listed: the 2,000 seeded and the 2 poison records; the live records are listed too unless edited before their page.
    expect(result).toMatchObject({ state: 'done', total: zohoContacts.length });
    expect(result.seen).toBeGreaterThanOrEqual(2002);
    expect(result.seen).toBeLessThanOrEqual(zohoContacts.length);
    expect(settledCount(result)).toBe(result.seen);
    expect(result.handedToLive).toBe(0);

    const hubspotContacts = (await hubspot.records('contacts')).filter((r) => !r.archived);
    expect(repeated(hubspotContacts.map((r) => r.properties.email))).toEqual([]);
    const byId = new Map(hubspotContacts.map((r) => [r.id, r]));
    const failures = await stack.services.store.failuresSince(new Date(startedAt).toISOString());
    const failed = new Map(failures.map((f) => [f.ref.id, f]));

    const hot = zohoContacts.filter((r) => r.Lead_Status === 'Hot' && !live.some((l) => l.email === r.Email));
    let linked = 0;
    for (const contact of hot) {
      const failure = failed.get(contact.id);
      if (failure) continue;
      // Linked both ways: the HubSpot record names the Zoho id, the Zoho record names the HubSpot id, the pair is stored.
      const counterpart = byId.get(String(contact.HubSpot_ID));
      expect(counterpart?.properties.zoho_record_id).toBe(contact.id);
      expect(counterpart?.properties.email).toBe(String(contact.Email));
      const pair = await linkedOf(stack.services.store, { system: 'zoho', object: 'contact', id: contact.id });
      expect(pair?.ids.hubspot).toBe(counterpart?.id);
      linked += 1;
    }
    expect(result.created).toBe(linked);
    expect(hubspotContacts).toHaveLength(linked + live.length);
    expect(await stack.services.store.countEntities('contact')).toBe(linked + live.length);

    // The poison records went to the failure report (same as live sync), and the backfill went on.
    expect(failed.get(poison.email)).toMatchObject({ category: 'validation', fields: [expect.objectContaining({ field: 'email' })] });
    expect(failed.get(poison.phone)).toMatchObject({ category: 'validation', fields: [expect.objectContaining({ field: 'phone' })] });
    // Everything else that failed is a contact of an account whose name matches an account linked before (reported).
    const others = [...failed.values()].filter((f) => f.ref.object === 'contact' && f.ref.id !== poison.email && f.ref.id !== poison.phone);
    for (const failure of others) expect(failure.category).toBe('link');
    expect(result.failed).toBe(others.length + 2);
    const companyFailures = failures.filter((f) => f.ref.object === 'company');
    for (const failure of companyFailures) expect(failure).toMatchObject({ category: 'duplicate', message: expect.stringContaining('already linked to') });
    expect(result.likelyDuplicates).toBeGreaterThanOrEqual(companyFailures.length > 0 ? 1 : 0);

    // Accounts of hot contacts came along: linked both ways as well.
    const accounts = new Map((await zoho.records('Accounts')).map((r) => [r.id, r]));
    const companies = (await hubspot.records('companies')).filter((r) => !r.archived);
    // counted per page: pages in flight together (the default) may each sync a company their contacts share
    expect(result.companiesSynced).toBeGreaterThanOrEqual(companies.length);
    for (const company of companies) expect(accounts.get(String(company.properties.zoho_record_id))?.HubSpot_ID).toBe(company.id);
  }, 240_000);

  test('a second backfill (an id range of 300) finds everything in sync and writes nothing', async () => {
    // Live sync's echo passes of the first backfill's writes end first.
    await settle(hubspot, zoho);
    await Promise.all([hubspot.resetStats(), zoho.resetStats()]);
    const ids = (await zoho.records('Contacts')).map((r) => r.id).sort();
    const range = { idFrom: ids[100] ?? '', idTo: ids[399] ?? '' };
    const result = await (await startBackfill(stack, { from: 'zoho', object: 'contact', ...range })).result();
    expect(result.seen).toBe(300);
    expect(result.created + result.linked + result.updated + result.handedToLive).toBe(0);
    expect(result.skipped + result.failed).toBe(result.seen);
    const [h, z] = await Promise.all([hubspot.stats(), zoho.stats()]);
    expect(h.writes + z.writes).toBe(0);
  }, 120_000);
});

