import { inParallel, paced } from '../../bench/support/pacer';
import type { CrmAdmins } from './crm-state';
import { awaitConvergence } from './converge';
import { CONTACT_FIELDS, EDITED_FIELDS, type CrmName, type FieldName, type Oracle } from './oracle';

export interface PoolContact {
  email: string;
  hubspotId: string;
  zohoId: string;
}

const domain = 'chaos.example';

/**
 * `size` contacts created as a person in HubSpot's UI would, then synced to Zoho and linked before any fault: the
 * records the load edits. Resolves once both CRMs hold every one as the oracle says.
 */
export async function seedPool(admins: CrmAdmins, oracle: Oracle, options: { size: number; label: string; timeoutMs: number }): Promise<PoolContact[]> {
  const emails: string[] = [];
  const hubspotIds = new Map<string, string>();
  await inParallel(
    Array.from({ length: options.size }, (_, i) => i),
    8,
    async (i) => {
      const email = `${options.label}-pool-${i}@${domain}`;
      const fields = { firstName: 'Chaos', lastName: `Pool ${i}`, jobTitle: 'seeded', city: 'seeded' };
      const record = await admins.hubspot.create('contacts', { email, ...inHubspot(fields) });
      oracle.created(email, ['hubspot', 'zoho'], fields);
      emails.push(email);
      hubspotIds.set(email, record.id);
    },
  );
  const { convergedAfterMs, snapshot } = await awaitConvergence(admins, oracle, Date.now(), options.timeoutMs);
  if (convergedAfterMs === null) throw new Error(`the pool of ${options.size} contacts did not reach Zoho within ${options.timeoutMs} ms`);
  const zohoIds = new Map(snapshot.zoho.map((r) => [r.email?.toLowerCase() ?? '', r.id]));
  return emails.map((email) => ({ email, hubspotId: hubspotIds.get(email) ?? '', zohoId: zohoIds.get(email) ?? '' }));
}

export interface LoadOptions {
  pool: readonly PoolContact[];
  ratePerSecond: number;
  durationMs: number;
  /** makes every value unique to the run */
  label: string;
  /** one change in this many is a create (alternately in HubSpot and in Zoho) instead of an edit */
  createEvery: number;
}

export interface LoadResult {
  edits: number;
  creates: number;
  /** changes the CRM refused through its person-facing route (not in the oracle: they never happened) */
  failed: number;
  startedAt: number;
  endedAt: number;
}

/**
 * A person working in both CRMs at a steady rate: edits of the pool's fields, each in the CRM that owns it, and now
 * and then a new contact. Each change is recorded in the oracle once the CRM acknowledged it; one field of one record
 * is never edited twice at once, so the oracle's order is the CRM's.
 */
export async function runLoad(admins: CrmAdmins, oracle: Oracle, options: LoadOptions): Promise<LoadResult> {
  const result: LoadResult = { edits: 0, creates: 0, failed: 0, startedAt: Date.now(), endedAt: 0 };
  const busy = new Set<string>();
  let created = 0;
  const deadline = result.startedAt + options.durationMs;
  await paced({ ratePerSecond: options.ratePerSecond, stop: () => Date.now() >= deadline }, async (seq) => {
    try {
      if (seq % options.createEvery === options.createEvery - 1) {
        await createContact(admins, oracle, `${options.label}-new-${created}`, created++ % 2 === 0 ? 'hubspot' : 'zoho');
        result.creates++;
        return;
      }
      const record = options.pool[seq % options.pool.length];
      const field = EDITED_FIELDS[Math.floor(seq / options.pool.length) % EDITED_FIELDS.length];
      if (!record || !field) return;
      const key = `${record.email}/${field}`;
      if (busy.has(key)) return;
      busy.add(key);
      try {
        const value = `${options.label} ${field} ${seq}`;
        await editField(admins, record, field, value);
        oracle.edited(record.email, field, value);
        result.edits++;
      } finally {
        busy.delete(key);
      }
    } catch {
      result.failed++;
    }
  });
  result.endedAt = Date.now();
  return result;
}

async function editField(admins: CrmAdmins, record: PoolContact, field: FieldName, value: string): Promise<void> {
  const mapping = CONTACT_FIELDS[field];
  if (mapping.owner === 'hubspot') await admins.hubspot.update('contacts', record.hubspotId, { [mapping.hubspot]: value });
  else await admins.zoho.update('Contacts', record.zohoId, { [mapping.zoho]: value });
}

/**
 * A new contact: created in HubSpot, Zoho (which holds everything) must get it; created in Zoho as a hot lead, HubSpot
 * (which holds the hot contacts) must get it too.
 */
async function createContact(admins: CrmAdmins, oracle: Oracle, name: string, origin: CrmName): Promise<void> {
  const email = `${name}@${domain}`;
  const fields = { firstName: 'New', lastName: name, jobTitle: `${name} title`, city: `${name} city`, country: `${name} country` };
  if (origin === 'hubspot') await admins.hubspot.create('contacts', { email, ...inHubspot(fields) });
  else await admins.zoho.create('Contacts', { Email: email, Lead_Status: 'Hot', ...inZoho(fields) });
  oracle.created(email, ['hubspot', 'zoho'], fields);
}

function inHubspot(fields: Partial<Record<FieldName, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [CONTACT_FIELDS[name as FieldName].hubspot, value]));
}

function inZoho(fields: Partial<Record<FieldName, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [CONTACT_FIELDS[name as FieldName].zoho, value]));
}
