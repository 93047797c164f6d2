import { othersOf } from './duplicates';
import type { Entity } from './entity';
import { hubSystem, systemsHolding, type HubSettings } from './hub';
import { matchKeysOf } from './mapping';
import type { MatchKeys, RecordRef, RecordSnapshot, SystemName } from './records';
import { referencedRefsOf } from './references';

// What a pass reads and asks the store, decided here so that the workflow (one call at a time) and the joined
// activities (read and look up in one round trip, src/activities/joined-pass-activities.ts) ask exactly the same.

/** Records whose entities (and the hub's last writes to them) a pass asks the store for, and the companies they point at. */
export interface LookupRequest {
  refs: RecordRef[];
  companyRefs: RecordRef[];
}

/** The records merged into the source (HubSpot's hs_merged_object_ids): their links move to it. */
export function mergedRefsOf(ref: RecordRef, source: RecordSnapshot | null): RecordRef[] {
  return (source?.mergedIds ?? []).map((id) => ({ ...ref, id }));
}

/** The source itself and the records merged into it, and what it points at. */
export function sourceLookupOf(ref: RecordRef, source: RecordSnapshot | null): LookupRequest {
  return { refs: [ref, ...mergedRefsOf(ref, source)], companyRefs: referencedRefsOf([source]) };
}

/** The records found elsewhere, and every company the records point at. */
export function foundLookupOf(source: RecordSnapshot, records: Record<SystemName, RecordSnapshot | null>): LookupRequest {
  return { refs: othersOf(source, records).map((record) => record.ref), companyRefs: referencedRefsOf(Object.values(records)) };
}

/** Where a pass looks for the entity's record in another system: `ref` first, then `keys` when that finds nothing. */
export interface RecordFind {
  system: SystemName;
  /** by the entity's link, else by the cross-reference the source holds */
  ref: RecordRef | null;
  /** match keys, where the system can match */
  keys: MatchKeys | null;
}

export function recordFindsOf(settings: HubSettings, source: RecordSnapshot, entity: Entity | null): RecordFind[] {
  const { object } = source.ref;
  return systemsHolding(settings, object)
    .filter((system) => system !== source.ref.system)
    .map((system) => {
      const knownId = entity?.links[system]?.recordId ?? source.crossRefs?.[system];
      const canMatch = hubSystem(settings, system)?.canMatch ?? false;
      return { system, ref: knownId ? { system, object, id: knownId } : null, keys: canMatch ? matchKeysOf(object, source.fields) : null };
    });
}
