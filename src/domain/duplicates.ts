import type { Entity } from './entity';
import type { HubSystem } from './hub';
import type { CrmObject, FieldValues, RecordSnapshot } from './records';
import { matchKeysOf } from './mapping';

/**
 * Why `found` (a record of another system) must not be linked to `source`, or null when it may: it belongs to an
 * entity that already links another record of the source's system, or (found by match keys, with no entity) its
 * cross-reference names another source record. Linking it would collide with the existing link on every pass; a
 * person decides (merge the records, or tell them apart).
 */
export function likelyDuplicateOf(source: RecordSnapshot, found: RecordSnapshot, foundEntity: Entity | null): string | null {
  const { system, object, id } = source.ref;
  const linkedTo = foundEntity ? foundEntity.links[system]?.recordId : found.crossRefs?.[system];
  if (!linkedTo || linkedTo === id) return null;
  return `matches ${found.ref.system} ${found.ref.object} ${found.ref.id}, already linked to ${system} ${object} ${linkedTo}`;
}

/** Why two entities met in one pass: the found record is linked to another entity than the source's. */
export function entityConflictOf(found: RecordSnapshot, entityId: string, otherEntityId: string): string {
  return `${found.ref.system} ${found.ref.object} ${found.ref.id} belongs to entity ${otherEntityId}, not to entity ${entityId}`;
}

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
export function findLikelyDuplicates(object: CrmObject, target: HubSystem, candidates: DuplicateCandidate[]): LikelyDuplicate[] {
  const found: LikelyDuplicate[] = [];
  const counterparts = new Set<string>();
  const createKeys = new Set<string>();
  candidates.forEach((candidate, index) => {
    const { counterpartId } = candidate;
    if (candidate.matchedByKey && candidate.counterpartLinkedTo && candidate.counterpartLinkedTo !== candidate.sourceId) {
      found.push({ index, counterpartId, reason: `matches ${target.name} ${object} ${counterpartId ?? ''} already linked to ${candidate.counterpartLinkedTo}` });
      return;
    }
    if (counterpartId !== null) {
      if (counterparts.has(counterpartId)) found.push({ index, counterpartId, reason: `same ${target.name} ${object} as another record of the page` });
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

function createKey(object: CrmObject, target: HubSystem, fields: FieldValues): string | null {
  const keys = matchKeysOf(object, fields);
  if (object === 'contact') return keys.email ? `email:${keys.email}` : null;
  // a system whose create also checks the company name (Zoho's duplicate check) would merge two such creates into one
  return target.mergesCompaniesByName && keys.name ? `name:${keys.name.trim().replace(/\s+/g, ' ').toLowerCase()}` : null;
}

/**
 * The entity a pass works on: the source's own, or the one a record found elsewhere already belongs to (the source
 * joins it). `entities[i]` is the entity of `found[i]`. Records of different entities meeting in one pass are a
 * likely duplicate: the reason comes back instead, for a person to decide.
 */
export function joinedEntity(source: RecordSnapshot, found: RecordSnapshot[], entity: Entity | null, entities: (Entity | null)[]): { entity: Entity | null } | { duplicate: string } {
  let chosen = entity;
  for (const [index, record] of found.entries()) {
    const other = entities[index] ?? null;
    if (!other || other.id === chosen?.id) continue;
    const reason = chosen ? entityConflictOf(record, chosen.id, other.id) : likelyDuplicateOf(source, record, other);
    if (reason) return { duplicate: reason };
    chosen = other;
  }
  return { entity: chosen };
}

/** The records found in the other systems, in a stable order (lookups answer in the order asked). */
export function othersOf(source: RecordSnapshot, records: Record<string, RecordSnapshot | null>): RecordSnapshot[] {
  return Object.values(records).filter((record): record is RecordSnapshot => record !== null && record !== source);
}
