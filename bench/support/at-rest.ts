import type { HubspotRecord, ZohoRecord } from '../../test/support/sim-client';
import type { LinkedContact } from './linked-pool';
import { quiesce, simAdmins } from './sims';

/**
 * What the two CRMs hold of an edited pool once both are quiet: the two-way sync's guarantees (newest wins, no lost
 * update, no duplicate, links intact) read back after a run at some rate, since a latency alone says none of that.
 * (No echo is the quiet itself: quiesce() fails when the CRMs never stop being called.)
 */
export interface PoolAtRest {
  records: number;
  /** records whose job title differs between the CRMs */
  differing: number;
  /** records on whose job title the CRMs agree, but which is not the newest edit's */
  notLastEdit: number;
  /** records whose HubSpot zoho_record_id and Zoho HubSpot_ID do not name each other (or one side is gone) */
  unlinked: number;
  /** records whose email more than one live contact holds, in either CRM */
  duplicated: number;
  /**
   * HubSpot job titles the hub wrote back: a person's edit, our write over it, and that edit again from us (its history
   * newest first: ours, ours, the person's). Each is an edit that landed between an update's check and its write
   * (src/connectors/checked-update.ts); the bench's titles are all distinct, so nothing else makes that pattern.
   */
  putBack: number;
  /** the first few records off, unlinked or duplicated, for the progress lines: ids and what each CRM holds */
  examples: string[];
  /** every record off, unlinked or duplicated: whose workflow histories to read (off-histories.ts) */
  offRecords: LinkedContact[];
}

const EXAMPLES = 5;

/**
 * A pass redone after losing a race waits in a workflow timer first (up to 8 s, record-sync.ts), calling no CRM
 * meanwhile: the CRMs can be quiet for longer than quiesce() waits while such a pass is still to come. A pool that is
 * off is read again, quiet again, until this long has passed: what is still off then is off at rest.
 */
const REST_PATIENCE_MS = 30_000;
const REREAD_AFTER_MS = 2_000;

/**
 * `accepted[i]`: the job titles `pool[i]` may hold, those of its newest edit (two in a tie between the CRMs), or null
 * when that is unknown (never edited here, or its last send failed); such a record is only checked for agreement.
 * Write backs are counted from `since` (epoch ms: the run's start, where runs share a pool). Call it once the CRMs are
 * quiet.
 */
export async function poolAtRest(urls: { hubspotUrl: string; zohoUrl: string }, pool: readonly LinkedContact[], accepted: readonly (readonly string[] | null)[], since = 0): Promise<PoolAtRest> {
  const { hubspot, zoho } = simAdmins(urls);
  const deadline = Date.now() + REST_PATIENCE_MS;
  for (;;) {
    const [hubspotAll, zohoAll] = await Promise.all([hubspot.records('contacts', [TITLE]), zoho.records('Contacts')]);
    const verdict = judgePool(pool, accepted, hubspotAll, zohoAll, since);
    if (verdict.differing + verdict.notLastEdit + verdict.unlinked + verdict.duplicated === 0 || Date.now() >= deadline) return verdict;
    await new Promise((resolve) => setTimeout(resolve, REREAD_AFTER_MS));
    await quiesce(urls, REST_PATIENCE_MS);
  }
}

/** poolAtRest's verdict on every contact of both CRMs, as their simulators list them. */
export function judgePool(pool: readonly LinkedContact[], accepted: readonly (readonly string[] | null)[], hubspotAll: readonly HubspotRecord[], zohoAll: readonly ZohoRecord[], since = 0): PoolAtRest {
  const hubspotLive = hubspotAll.filter((record) => record.archived !== true);
  const zohoLive = zohoAll.filter((record) => record.$deleted !== true);
  const hubspotById = new Map(hubspotLive.map((record) => [record.id, record]));
  const zohoById = new Map(zohoLive.map((record) => [record.id, record]));
  const holders = countBy([...hubspotLive.map((record) => `hubspot ${emailOf(record.properties.email)}`), ...zohoLive.map((record) => `zoho ${emailOf(record.Email)}`)]);

  const atRest: PoolAtRest = { records: pool.length, differing: 0, notLastEdit: 0, unlinked: 0, duplicated: 0, putBack: 0, examples: [], offRecords: [] };
  const flagged = new Set<LinkedContact>();
  const example = (contact: LinkedContact, text: string) => {
    if (atRest.examples.length < EXAMPLES) atRest.examples.push(text);
    if (!flagged.has(contact)) atRest.offRecords.push({ hubspotId: contact.hubspotId, zohoId: contact.zohoId });
    flagged.add(contact);
  };
  pool.forEach((contact, index) => {
    const inHubspot = hubspotById.get(contact.hubspotId);
    const inZoho = zohoById.get(contact.zohoId);
    const ids = `HubSpot ${contact.hubspotId}, Zoho ${contact.zohoId}`;
    if (!inHubspot || !inZoho || !namesEachOther(contact, inHubspot, inZoho)) {
      atRest.unlinked++;
      example(contact, `${ids}: unlinked (HubSpot ${inHubspot ? `names ${inHubspot.properties.zoho_record_id ?? null}` : 'gone'}, Zoho ${inZoho ? `names ${textOf(inZoho.HubSpot_ID)}` : 'gone'})`);
    }
    const history: TitleHistory = inHubspot?.propertiesWithHistory?.[TITLE] ?? [];
    atRest.putBack += writtenBack(history, since);
    if (!inHubspot || !inZoho) return;
    const title = { hubspot: inHubspot.properties[TITLE] ?? null, zoho: textOf(inZoho.Title) };
    const newest = accepted[index] ?? null;
    const off = title.hubspot !== title.zoho ? 'differing' : newest !== null && (title.hubspot === null || !newest.includes(title.hubspot)) ? 'notLastEdit' : null;
    if (off) {
      atRest[off]++;
      example(contact, `HubSpot ${contact.hubspotId} "${title.hubspot}", Zoho ${contact.zohoId} "${title.zoho}", newest ${JSON.stringify(newest)}${historyNote(history)}`);
    }
    const email = emailOf(inHubspot.properties.email);
    const twins = { hubspot: holders.get(`hubspot ${email}`) ?? 0, zoho: holders.get(`zoho ${email}`) ?? 0 };
    if (twins.hubspot > 1 || twins.zoho > 1) {
      atRest.duplicated++;
      example(contact, `${ids}: its email held by ${twins.hubspot} live HubSpot and ${twins.zoho} live Zoho contacts`);
    }
  });
  return atRest;
}

/**
 * `refusedInZoho`, where the caller counted it: Zoho updates refused during the run as modified after the version
 * their check read (If-Unmodified-Since), each an edit that landed between a check and its write, or a later one.
 */
export function atRestNote(atRest: PoolAtRest, refusedInZoho?: number): string {
  const { records, differing, notLastEdit, unlinked, duplicated, putBack } = atRest;
  const refused = refusedInZoho === undefined ? '' : `, ${refusedInZoho} refused in Zoho`;
  return `${differing + notLastEdit} of ${records} records off (${differing} differ, ${notLastEdit} not the last edit), ${unlinked} unlinked, ${duplicated} duplicated, ${putBack} put back in HubSpot${refused}`;
}

const TITLE = 'jobtitle';
const HISTORY_SHOWN = 6;
/** HubSpot's history of one property, newest first. */
type TitleHistory = ReadonlyArray<{ value: string; timestamp: string; sourceType: string }>;

/** The newest entries of a title's history, to tell from a progress line who wrote what over whom. */
function historyNote(history: TitleHistory): string {
  if (history.length === 0) return '';
  return `; HubSpot's last titles ${history.slice(0, HISTORY_SHOWN).map((entry) => `"${entry.value}" by ${entry.sourceType} at ${entry.timestamp.slice(11, 23)}`).join(' < ')}`;
}

/** Write backs in `history` (newest first) made at `since` (epoch ms) or later. */
function writtenBack(history: TitleHistory, since: number): number {
  let count = 0;
  for (let i = 0; i + 2 < history.length; i++) {
    const [back, over, person] = [history[i], history[i + 1], history[i + 2]];
    if (!back || !over || !person || Date.parse(back.timestamp) < since) continue;
    if (back.sourceType === 'INTEGRATION' && over.sourceType === 'INTEGRATION' && person.sourceType === 'CRM_UI' && back.value === person.value && over.value !== back.value) count++;
  }
  return count;
}

/** The records off, one per line, for a progress line (empty when none is). */
export function offNote(atRest: PoolAtRest): string {
  return atRest.examples.map((example) => `\n      off: ${example}`).join('');
}

function namesEachOther(contact: LinkedContact, inHubspot: HubspotRecord, inZoho: ZohoRecord): boolean {
  return inHubspot.properties.zoho_record_id === contact.zohoId && textOf(inZoho.HubSpot_ID) === contact.hubspotId;
}

/** A field as text: Zoho's lookup fields may come back as numbers. */
const textOf = (value: unknown): string | null => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null);
const emailOf = (value: unknown): string => (textOf(value) ?? '').toLowerCase();

function countBy(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}
