import type { Entity, EntitySave } from '../domain/entity';
import type { RecordRef } from '../domain/records';
import { assertOutsideTransaction, type Database } from './db';
import { deadLettersSince, recordDeadLetter } from './dead-letters';
import { countEntities, getEntities, getEntitiesById, saveEntities, unlink } from './entities';
import { keepCreatedLinks } from './entity-keep-created';
import { gatherCalls } from './gathered-calls';
import { failuresSince, recordEntitiesSuccess, recordFailure, recordSuccess } from './failures';
import { createKeyedMutex } from './keyed-mutex';
import { getMarker, setMarker } from './markers';
import { ownWritesOf, recordOwnWrites } from './own-writes';
import { reconcileCursor, reconciledSince, recordReconciliation } from './reconciliations';
import { getToken, withTokenLock } from './tokens';
import { StaleRevisionError, type SyncStore } from './types';

/** The SyncStore over either driver: all SQL lives in entity-*.ts, entities.ts, own-writes.ts, failures.ts, dead-letters.ts, tokens.ts and markers.ts. */
export function createSqlStore(db: Database): SyncStore {
  const tokenQueue = createKeyedMutex();
  const saveAll = async (saves: readonly EntitySave[]): Promise<(Entity | null)[]> => {
    const saved = await saveEntities(db, saves);
    // Every record of a saved entity is in sync now: a failure reported for one outside its own workflow's failed
    // pass (by a backfill page, or by another record's workflow) is over, and the report lists it as recovered.
    await recordEntitiesSuccess(db, saved.filter((entity) => entity !== null));
    return saved;
  };
  // Reads made side by side (mostly live passes', one per record workflow) gathered into one statement each
  // (src/store/gathered-calls.ts). Writes keep a statement or transaction of their own.
  const gatheredGetEntities = gatherCalls((refs: readonly RecordRef[]) => getEntities(db, refs));
  const gatheredOwnWrites = gatherCalls((refs: readonly RecordRef[]) => ownWritesOf(db, refs));
  const gatheredUnsavedOwnWrites = gatherCalls((refs: readonly RecordRef[]) => ownWritesOf(db, refs, { unsaved: true }));
  return {
    getEntity: async (ref) => (await gatheredGetEntities([ref]))[0] ?? null,
    getEntities: gatheredGetEntities,
    getEntitiesById: (ids) => getEntitiesById(db, ids),
    saveEntity: async (save) => {
      const [saved] = await saveAll([save]);
      if (!saved) throw new StaleRevisionError(save.expectedRevision);
      return saved;
    },
    saveEntities: saveAll,
    keepCreatedLinks: (save, created) => keepCreatedLinks(db, save, created),
    recordOwnWrites: (writes) => recordOwnWrites(db, writes),
    ownWritesOf: (refs, options) => (options?.unsaved ? gatheredUnsavedOwnWrites(refs) : gatheredOwnWrites(refs)),
    unlink: (ref) => unlink(db, ref),
    countEntities: (object) => countEntities(db, object),
    recordFailure: (failure) => recordFailure(db, failure),
    recordSuccess: (ref) => recordSuccess(db, ref),
    failuresSince: (since) => failuresSince(db, since),
    getToken: (system) => getToken(db, system),
    withTokenLock: async (system, refresh) => {
      // Checked before queueing: a nested call would otherwise wait in the queue behind itself forever.
      assertOutsideTransaction();
      return tokenQueue(system, () => withTokenLock(db, system, refresh));
    },
    reconcileCursor: (system, object) => reconcileCursor(db, system, object),
    recordReconciliation: (run) => recordReconciliation(db, run),
    reconciledSince: (since) => reconciledSince(db, since),
    recordDeadLetter: (letter) => recordDeadLetter(db, letter),
    deadLettersSince: (since) => deadLettersSince(db, since),
    getMarker: (name) => getMarker(db, name),
    setMarker: (name, value) => setMarker(db, name, value),
    close: () => db.close(),
  };
}
