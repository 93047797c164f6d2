import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { Entity } from '../domain/entity';
import { relinked } from '../domain/entity-save';
import type { HubSettings } from '../domain/hub';
import { crossReferenceField, deleteActionFor } from '../domain/mapping';
import type { RecordRef, SystemName } from '../domain/records';
import { crm, store } from './pass-activities';
import { isPatched } from './patches';

// What a pass does to links when a record is gone (deleted, or merged into another): no link may name nothing.

/**
 * A record that absorbed others in a merge follows them: without an entity of its own it takes the place of the first
 * merged record that was linked (the entity's other records become its counterparts); any other merged record's link
 * is removed like a deleted record's, so no link is left naming a record that is gone. Returns the source's entity.
 */
export async function followMerges(
  settings: HubSettings,
  source: RecordRef,
  mergedRefs: RecordRef[],
  entity: Entity | null,
  mergedEntities: (Entity | null)[],
): Promise<{ entity: Entity | null; adopted: boolean }> {
  let survivor = entity;
  let adopted = false;
  for (const [index, merged] of mergedRefs.entries()) {
    const absorbed = mergedEntities[index];
    if (!absorbed || absorbed.links[merged.system]?.recordId !== merged.id) continue;
    if (survivor) {
      await unlinkRecord(settings, merged, absorbed);
    } else {
      survivor = await store.saveEntity(relinked(absorbed, source.system, source.id));
      adopted = true;
    }
  }
  return { entity: survivor, adopted };
}

/**
 * Passes started by workflow code older than this clear no cross-reference on unlink: a history recorded before it
 * replays without the writes.
 */
const CLEAR_CROSS_REFS_ON_UNLINK = 'clear-cross-refs-on-unlink';

/**
 * The source is gone: unlink it, and archive the entity's other records where the rules say so. Records that stay
 * get the deleted record's id cleared from their cross-reference fields, which would otherwise name nothing (and,
 * followed by a later pass, look like a record to find again).
 */
export async function removeRecord(settings: HubSettings, ref: RecordRef, entity: Entity | null): Promise<'unlinked' | 'archived' | 'absent'> {
  if (!entity) return 'absent';
  const policy = deleteActionFor(settings.rules, ref.system);
  const others = Object.entries(entity.links).filter(([system]) => system !== ref.system);
  const archives = policy === 'archive-counterpart' || policy === 'delete-counterpart';
  if (!archives) {
    await unlinkRecord(settings, ref, entity);
    return 'unlinked';
  }
  await Promise.all(others.map(([system, link]) => crm(system).archiveRecord(ref.object, link.recordId)));
  for (const [system, link] of others) await store.unlink({ system, object: ref.object, id: link.recordId });
  await store.unlink(ref);
  return 'archived';
}

/** Removes `ref`'s link from its entity and clears its id from the entity's other records' cross-references. */
async function unlinkRecord(settings: HubSettings, ref: RecordRef, entity: Entity): Promise<void> {
  if (isPatched(CLEAR_CROSS_REFS_ON_UNLINK)) {
    // Only systems that keep a cross-reference to ref's system hold anything to clear.
    const holding = ([system]: [SystemName, unknown]) => system !== ref.system && crossReferenceField(settings.rules, system, ref.system, ref.object) !== undefined;
    const others = Object.entries(entity.links).filter(holding);
    await Promise.all(others.map(([system, link]) => clearCrossRef({ system, object: ref.object, id: link.recordId }, ref.system)));
  }
  await store.unlink(ref);
}

/** Clears `record`'s cross-reference to `system`; a record that is gone as well has nothing left to clear. */
async function clearCrossRef(record: RecordRef, system: SystemName): Promise<void> {
  try {
    await crm(record.system).updateRecord(record.object, record.id, {}, { crossRefs: { [system]: null } });
  } catch (error) {
    const gone = error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === 'NotFoundError';
    if (!gone) throw error;
  }
}
