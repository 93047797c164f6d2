import { z } from 'zod';
import { hubspotAdmin, zohoAdmin } from '../../test/support/sim-client';
import { settleWithin } from '../../test/support/settle';

/** The simulators' admin routes (/_sim: never authenticated, rate limited or counted in stats). */
export function simAdmins(urls: { hubspotUrl: string; zohoUrl: string }) {
  return { hubspot: hubspotAdmin(urls.hubspotUrl), zoho: zohoAdmin(urls.zohoUrl) };
}

/**
 * Waits until neither CRM has served an API call for a while: echoes have arrived and their passes have run. Resolves
 * with how long that took; a timeout names the notifications the CRMs still held, the usual reason for the calls.
 */
export async function quiesce(urls: { hubspotUrl: string; zohoUrl: string }, timeoutMs = 30_000): Promise<number> {
  const { hubspot, zoho } = simAdmins(urls);
  const started = Date.now();
  try {
    await settleWithin(timeoutMs, hubspot, zoho);
  } catch (error) {
    const queued = await Promise.all([hubspot.stats(), zoho.stats()]).then(
      ([h, z]) => `; notifications still queued: HubSpot ${h.webhooks.queued}, Zoho ${z.webhooks.queued}`,
      () => '',
    );
    throw new Error(`${error instanceof Error ? error.message : String(error)}${queued}`);
  }
  return Date.now() - started;
}

const SeedAnswer = z.object({ contacts: z.number(), companies: z.number() });

/**
 * `count` Zoho contacts, every one hot, dated a day and more ago (the seed's history) and never notified: records from
 * before crm-sync was installed, which only a backfill brings over. (Marking a mixed seed Hot through /_sim/ui, as
 * this did until 2026-12-04, dated those changes now, so reconciliation's first run, at the next 5-minute mark of the
 * clock, handed them all to live sync in the middle of whatever the scenario was measuring.)
 */
export async function seedHotZohoContacts(zohoUrl: string, count: number): Promise<number> {
  const response = await fetch(`${zohoUrl}/_sim/seed`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ contacts: count, companies: 0, seed: 1, leadStatus: 'Hot' }),
  });
  if (!response.ok) throw new Error(`seeding Zoho failed: HTTP ${response.status}`);
  return SeedAnswer.parse(await response.json()).contacts;
}
