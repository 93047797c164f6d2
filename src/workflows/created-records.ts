import type { Entity, EntitySave } from '../domain/entity';
import type { PlannedWrite } from '../domain/plan';
import type { SystemName, WriteResult } from '../domain/records';
import { failureTypeOf } from './failure-cause';
import { store } from './pass-activities';
import { isPatched } from './patches';

// What a pass does about the records it created, when its save or a retried create does not go as planned.

/**
 * Passes started by workflow code older than this lose the records they created when their save is stale, and a
 * nested pass (a deal's buyer synced first) that lost its save is redone by the deal's whole pass instead of at once.
 */
export const KEEP_CREATED_ON_STALE_SAVE = 'keep-created-on-stale-save';

/**
 * Saves what a pass wrote. When another pass saved the entity first (StaleRevisionError), the records this pass
 * created in `created` systems join the entity that won before the error goes on to the redo: the redo then reads them
 * by their link, instead of creating them again where a search does not show them yet, and a delete arriving before
 * the redo reaches them (a new buyer's HubSpot contact, made for a deal while the buyer's own workflow linked it).
 */
export async function saveKeepingCreated(save: EntitySave, created: readonly SystemName[]): Promise<Entity> {
  try {
    return await store.saveEntity(save);
  } catch (error) {
    if (created.length > 0 && failureTypeOf(error) === 'StaleRevisionError' && isPatched(KEEP_CREATED_ON_STALE_SAVE)) {
      await store.keepCreatedLinks(save, [...created]);
    }
    throw error;
  }
}

/** Passes started by workflow code older than this count a create retried after a crash as an update. */
const RETRIED_CREATE_IS_CREATED = 'retried-create-is-created';

/**
 * A create retried after a worker died (its first attempt made the record, its completion was lost) finds that record
 * by its unique key and reports it not created; so does a create that meets a record a concurrent pass just made.
 * For this pass it is the record it created all the same: the origin and the other targets learn its id, and a stale
 * save keeps it, as the command writes already count it (command-writes.ts).
 */
export function createdByPass(write: PlannedWrite, result: WriteResult): WriteResult {
  if (result.created || write.operation !== 'create' || !isPatched(RETRIED_CREATE_IS_CREATED)) return result;
  return { ...result, created: true };
}
