import type { CrmObject, CrmSystem, FieldValues } from './records';
import { matchKeysOf } from './mapping';

/** One record of a page about to be written, as far as duplicate detection cares. */
export interface DuplicateCandidate {
  sourceId: string;
  /** the counterpart found (by link or by match keys), if any */
  counterpartId: string | null;
  /** the counterpart was found by match keys (not through a link) and names this source record (or another) */
  matchedByKey: boolean;
  counterpartLinkedTo: string | null;
  /** the counterpart is about to be created with these fields */
  creates: boolean;
  fields: FieldValues;
}

export interface LikelyDuplicate {
  index: number;
  counterpartId: string | null;
  reason: string;
}

/**
 * Records a batch pass must not settle on its own: a match by key on a record already linked to another source
 * record, two records of the page resolving to one counterpart, or two creates the target would merge into one (its
 * unique key: contacts' email; for Zoho accounts, the name upsert checks). The first of a kind goes ahead.
 */
export function findLikelyDuplicates(object: CrmObject, target: CrmSystem, candidates: DuplicateCandidate[]): LikelyDuplicate[] {
  const found: LikelyDuplicate[] = [];
  const counterparts = new Set<string>();
  const createKeys = new Set<string>();
  candidates.forEach((candidate, index) => {
    const { counterpartId } = candidate;
    if (candidate.matchedByKey && candidate.counterpartLinkedTo && candidate.counterpartLinkedTo !== candidate.sourceId) {
      found.push({ index, counterpartId, reason: `matches ${target} ${object} ${counterpartId ?? ''} already linked to ${candidate.counterpartLinkedTo}` });
      return;
    }
    if (counterpartId !== null) {
      if (counterparts.has(counterpartId)) found.push({ index, counterpartId, reason: `same ${target} ${object} as another record of the page` });
      counterparts.add(counterpartId);
      return;
    }
    const key = candidate.creates ? createKey(object, target, candidate.fields) : null;
    if (key === null) return;
    if (createKeys.has(key)) found.push({ index, counterpartId: null, reason: `same ${key.split(':')[0]} as another record of the page` });
    createKeys.add(key);
  });
  return found;
}

function createKey(object: CrmObject, target: CrmSystem, fields: FieldValues): string | null {
  const keys = matchKeysOf(object, fields);
  if (object === 'contact') return keys.email ? `email:${keys.email}` : null;
  // HubSpot companies are upserted by the cross-reference (unique per source record); Zoho's upsert also checks the name.
  return target === 'zoho' && keys.name ? `name:${keys.name.trim().replace(/\s+/g, ' ').toLowerCase()}` : null;
}
