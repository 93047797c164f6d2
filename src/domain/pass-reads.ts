import { othersOf } from './duplicates';
import type { Entity } from './entity';
import { hubSystem, systemsHolding, type HubSettings } from './hub';
import { matchKeysOf } from './mapping';
import type { CrmObject, MatchKeys, RecordRef, RecordSnapshot, SystemName } from './records';
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
  return foundLookupOfAll([{ source, records }]).request;
}

/**
 * A batch of sources at once (a backfill page): per source, the records found elsewhere (`found`, in the order their
 * entities come back), and one request for all of them, each company asked once.
 */
export function foundLookupOfAll(items: readonly { source: RecordSnapshot; records: Record<SystemName, RecordSnapshot | null> }[]): {
  found: RecordSnapshot[][];
  request: LookupRequest;
} {
  const found = items.map((item) => othersOf(item.source, item.records));
  return { found, request: { refs: found.flat().map((record) => record.ref), companyRefs: referencedRefsOf(items.flatMap((item) => Object.values(item.records))) } };
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

/** The calls a find makes: the workflow's activities, or inside a joined activity the worker's own. */
export interface RecordFinder {
  read(ref: RecordRef): Promise<RecordSnapshot | null>;
  match(system: SystemName, object: CrmObject, keys: MatchKeys): Promise<RecordSnapshot | null>;
}

/**
 * The source and, per find, its record: by ref, else by match keys (null: none); `matched` names the systems found by
 * keys. `onMatch` sees each match the moment it resolves: a workflow that refuses a likely duplicate there stops
 * before the other finds end, as old histories were recorded.
 */
export async function findRecordsBy(
  source: RecordSnapshot,
  finds: readonly RecordFind[],
  finder: RecordFinder,
  onMatch?: (match: RecordSnapshot) => void,
): Promise<{ records: Record<SystemName, RecordSnapshot | null>; matched: SystemName[] }> {
  const records: Record<SystemName, RecordSnapshot | null> = { [source.ref.system]: source };
  const matched: SystemName[] = [];
  await Promise.all(
    finds.map(async ({ system, ref, keys }) => {
      const linked = ref ? await finder.read(ref) : null;
      const match = !linked && keys ? await finder.match(system, source.ref.object, keys) : null;
      if (match) {
        onMatch?.(match);
        matched.push(system);
      }
      records[system] = linked ?? match;
    }),
  );
  return { records, matched };
}
