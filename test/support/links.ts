import type { RecordRef, SystemName } from '../../src/domain/records';
import type { SyncStore } from '../../src/store/types';

/** What the store says a record is linked to: the entity's record id and last synced version in each system. */
export interface Linked {
  entityId: string;
  ids: Record<SystemName, string>;
  versions: Record<SystemName, string | null>;
  base: Record<string, string | null>;
}

/** The record's entity as the tests look at it, or null when nothing links the record. */
export async function linkedOf(store: SyncStore, ref: RecordRef): Promise<Linked | null> {
  const entity = await store.getEntity(ref);
  if (!entity) return null;
  const ids: Record<SystemName, string> = {};
  const versions: Record<SystemName, string | null> = {};
  for (const [system, link] of Object.entries(entity.links)) {
    ids[system] = link.recordId;
    versions[system] = link.version;
  }
  return { entityId: entity.id, ids, versions, base: entity.base };
}
