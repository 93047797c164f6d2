import { z } from 'zod';
import { hubspotAdmin, zohoAdmin } from '../../test/support/sim-client';
import { settle } from '../../test/support/settle';
import { inParallel } from './pacer';
import { progress } from './progress';

/** The simulators' admin routes (/_sim: never authenticated, rate limited or counted in stats). */
export function simAdmins(urls: { hubspotUrl: string; zohoUrl: string }) {
  return { hubspot: hubspotAdmin(urls.hubspotUrl), zoho: zohoAdmin(urls.zohoUrl) };
}

/** Waits until neither CRM has served an API call for a while: echoes have arrived and their passes have run. */
export async function quiesce(urls: { hubspotUrl: string; zohoUrl: string }): Promise<void> {
  const { hubspot, zoho } = simAdmins(urls);
  await settle(hubspot, zoho);
}

const SeedAnswer = z.object({ contacts: z.number(), companies: z.number() });
const ZohoContact = z.looseObject({ id: z.string(), Lead_Status: z.string().nullish() });

/**
 * `count` Zoho contacts, every one hot. The seed mixes lead statuses, so the others are then marked Hot as a person
 * would, through /_sim/ui. Call it before the worker registers the notification channel: nothing is notified.
 */
export async function seedHotZohoContacts(zohoUrl: string, count: number): Promise<number> {
  const response = await fetch(`${zohoUrl}/_sim/seed`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ contacts: count, companies: 0, seed: 1 }),
  });
  if (!response.ok) throw new Error(`seeding Zoho failed: HTTP ${response.status}`);
  SeedAnswer.parse(await response.json());
  const zoho = zohoAdmin(zohoUrl);
  const records = z.array(ZohoContact).parse(await zoho.records('Contacts'));
  const cold = records.filter((record) => record.Lead_Status !== 'Hot');
  progress(`  marking ${cold.length} of ${records.length} seeded Zoho contacts Hot`);
  await inParallel(cold, 16, async (record) => {
    await zoho.update('Contacts', record.id, { Lead_Status: 'Hot' });
  });
  return records.length;
}
