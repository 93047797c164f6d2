import { paced } from './pacer';
import { progress } from './progress';
import { simAdmins, quiesce } from './sims';
import type { BenchStack } from './stack';

export interface LinkedContact {
  hubspotId: string;
  zohoId: string;
}

export interface CreatedContact extends LinkedContact {
  /** when the create was sent through HubSpot's UI (epoch ms) */
  createdAt: number;
  /** when Zoho reported the new record (upper bound, see ZohoChange) */
  zohoCreatedAt: number;
  /** when the Zoho id was written back into HubSpot: both CRMs name each other (HubSpot's own stamp) */
  linkedAt: number;
}

/**
 * Creates contacts as a person in HubSpot's UI would, at a steady rate, and waits for each to be linked: the Zoho id
 * written back into HubSpot (HubSpot's webhook carries the value and the write's time). Contacts that never link
 * within timeoutMs are counted, not returned.
 */
export async function createContactsInHubspot(
  stack: BenchStack,
  options: { count: number; ratePerSecond: number; label: string; timeoutMs?: number },
): Promise<{ created: CreatedContact[]; unlinked: number }> {
  const { hubspot } = simAdmins({ hubspotUrl: stack.hubspot.url, zohoUrl: stack.zoho.url });
  const timeoutMs = options.timeoutMs ?? 120_000;
  const created: CreatedContact[] = [];
  let unlinked = 0;
  await paced({ ratePerSecond: options.ratePerSecond, count: options.count }, async (i) => {
    const createdAt = Date.now();
    const record = await hubspot.create('contacts', {
      email: `${options.label}-${i}@bench.example`,
      firstname: 'Bench',
      lastname: `${options.label} ${i}`,
      jobtitle: 'created',
    });
    const link = await stack.watch.waitForHubspot('contact', record.id, (c) => c.property === 'zoho_record_id' && c.source === 'INTEGRATION' && !!c.value, timeoutMs);
    const zohoId = link?.value;
    if (!link || !zohoId) {
      unlinked++;
      return;
    }
    const zohoCreatedAt = await stack.watch.zohoInsertedAt('Contacts', zohoId, 10_000);
    created.push({ hubspotId: record.id, zohoId, createdAt, zohoCreatedAt: zohoCreatedAt ?? link.at, linkedAt: link.at });
  });
  return { created, unlinked };
}

/** Contacts linked in both CRMs, for edits; the CRMs are quiet when it returns. */
export async function createLinkedPool(stack: BenchStack, size: number, ratePerSecond: number): Promise<LinkedContact[]> {
  progress(`  creating a pool of ${size} linked contacts (HubSpot UI → Zoho) at ${ratePerSecond}/s`);
  const { created, unlinked } = await createContactsInHubspot(stack, { count: size, ratePerSecond, label: 'pool' });
  if (unlinked > 0) throw new Error(`${unlinked} pool contacts were never linked`);
  await quiesce({ hubspotUrl: stack.hubspot.url, zohoUrl: stack.zoho.url });
  return created.map(({ hubspotId, zohoId }) => ({ hubspotId, zohoId }));
}
