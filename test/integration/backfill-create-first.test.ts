import { zohoWatchChannel } from '../../src/systems/zoho/watch-start';
import { hubspotAdmin, zohoAdmin } from '../support/sim-client';
import type { TestStack } from '../support/stack';
import { waitFor } from '../support/wait-for';
import { linkedOf } from '../support/links';
import { repeated, startBackfill, startBackfillTestStack } from './backfill-harness';

const CONTACTS = 50;
const PAGE_SIZE = 10;
const CREATE = 'POST /crm/v3/objects/:objectType/batch/create';
const UPSERT = 'POST /crm/v3/objects/:objectType/batch/upsert';

/**
 * A backfill into HubSpot creates a page's contacts before matching them (HubSpot refuses a second contact with an
 * email), so a page of new contacts costs one request. A contact HubSpot already holds is refused by that create,
 * handed to live sync, which links it; the pages after it match first.
 */
describe('backfill: contacts created before they are matched', () => {
  let stack: TestStack;
  let hubspot: ReturnType<typeof hubspotAdmin>;
  let zoho: ReturnType<typeof zohoAdmin>;
  /** Zoho ids in listing order (the keyset: by id) */
  let zohoIds: string[];
  /** HubSpot contacts made before crm-sync saw them, with the email of the Zoho contact at that index */
  const held = new Map<number, string>();

  beforeAll(async () => {
    ({ stack, hubspot, zoho } = await startBackfillTestStack(__filename));
    // Records that predate crm-sync: no notification of them reaches it.
    await stack.connectors.zoho.disableWatch(stack.config.zoho.channelId);
    for (let i = 0; i < CONTACTS; i += 1) await zoho.create('Contacts', { Last_Name: `First ${i}`, Email: `create-first-${i}@example.com`, Lead_Status: 'Hot' });
    await stack.connectors.zoho.enableWatch({ ...zohoWatchChannel(stack.config), expiry: new Date(Date.now() + 6 * 86_400_000) });
    zohoIds = (await zoho.records('Contacts')).map((r) => r.id).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    // one in the first page, one in the fourth
    await hubspot.faults({ webhookDropRate: 1 });
    for (const index of [3, 33]) {
      const email = (await zoho.records('Contacts')).find((r) => r.id === zohoIds[index])?.Email;
      const contact = await hubspot.create('contacts', { email: String(email), firstname: 'Held', lastname: `In HubSpot ${index}` });
      held.set(index, contact.id);
    }
    await hubspot.clearFaults();
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  test('a page of new contacts is one batch create; a contact HubSpot holds is linked, never duplicated; later pages match first', async () => {
    await hubspot.resetStats();
    // One page at a time, so that the page after the refused create is listed after its report. The window ends a
    // minute from now: Zoho's times are whole seconds, and the contacts were made within this one.
    const modifiedBefore = new Date(Date.now() + 60_000).toISOString();
    const result = await (await startBackfill(stack, { from: 'zoho', object: 'contact', pageSize: PAGE_SIZE, concurrency: 1, modifiedBefore })).result();
    expect(result).toMatchObject({ state: 'done', seen: CONTACTS, failed: 0 });
    // Page 1: 9 created in one request, the held one refused and handed over. Pages 2-5 match, then upsert what is new;
    // the one matched there is linked, or handed over when live sync's pass of the backfill's own write to it saves
    // the pair first (a race the backfill leaves to live sync, as it did before it created first).
    expect(result.created).toBe(CONTACTS - 2);
    expect(result.handedToLive).toBeGreaterThanOrEqual(1);
    expect(result.linked + result.handedToLive).toBe(2);
    const routes = (await hubspot.stats()).requests.byRoute;
    expect({ create: routes[CREATE], upsert: routes[UPSERT] }).toEqual({ create: 1, upsert: CONTACTS / PAGE_SIZE - 1 });

    // live sync links the handed-over contact to the one HubSpot held
    for (const [index, hubspotId] of held) {
      const zohoId = zohoIds[index] ?? '';
      await waitFor(async () => (await linkedOf(stack.services.store, { system: 'zoho', object: 'contact', id: zohoId }))?.ids.hubspot === hubspotId, `Zoho contact ${index} linked to HubSpot ${hubspotId}`, 30_000);
      await waitFor(async () => (await zoho.records('Contacts')).find((r) => r.id === zohoId)?.HubSpot_ID === hubspotId, `Zoho contact ${index} naming HubSpot ${hubspotId}`, 30_000);
    }
    const contacts = (await hubspot.records('contacts')).filter((r) => !r.archived);
    expect(repeated(contacts.map((r) => r.properties.email))).toEqual([]);
    expect(contacts).toHaveLength(CONTACTS);
    for (const [index, hubspotId] of held) expect(contacts.find((r) => r.id === hubspotId)?.properties.zoho_record_id).toBe(zohoIds[index]);
  }, 120_000);
});
