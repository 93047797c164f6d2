import type { Entity, EntitySave } from '../domain/entity';
import type { OwnWrite } from '../domain/own-writes';
import type { RecordRef } from '../domain/records';
import { assertOutsideTransaction, type Database } from './db';
import { deadLettersSince, recordDeadLetter } from './dead-letters';
import { countEntities, getEntities, getEntitiesById, saveEntities, unlink } from './entities';
import { keepCreatedLinks } from './entity-keep-created';
import { gatherCalls } from './gathered-calls';
import { failuresSince, recordFailure, recordSuccess } from './failures';
import { createKeyedMutex } from './keyed-mutex';
import { getMarker, setMarker } from './markers';
import { ownWritesOf, recordOwnWrites, withdrawOwnWrites } from './own-writes';
import { reconcileCursor, reconciledSince, recordReconciliation } from './reconciliations';
import { getToken, withTokenLock } from './tokens';
import { StaleRevisionError, type SyncStore } from './types';

/** The SyncStore over either driver: all SQL lives in entity-*.ts, entities.ts, own-writes.ts, failures.ts, dead-letters.ts, tokens.ts and markers.ts. */
export function createSqlStore(db: Database): SyncStore {
  const tokenQueue = createKeyedMutex();
  const saveAll = (saves: readonly EntitySave[]): Promise<(Entity | null)[]> => saveEntities(db, saves);
  // Calls made side by side (mostly live passes', one per record workflow) gathered into pages (src/store/gathered-calls.ts).
  const gatheredGetEntities = gatherCalls((refs: readonly RecordRef[]) => getEntities(db, refs));
  const gatheredOwnWrites = gatherCalls((refs: readonly RecordRef[]) => ownWritesOf(db, refs));
  const gatheredUnsavedOwnWrites = gatherCalls((refs: readonly RecordRef[]) => ownWritesOf(db, refs, { unsaved: true }));
  const gatheredRecordOwnWrites = gatherCalls(async (writes: readonly OwnWrite[]) => {
    await recordOwnWrites(db, writes);
    return writes.map(() => undefined);
  });
  // a stale save fails its own caller only, as it would alone
  const gatheredSave = gatherCalls<EntitySave, Entity>(async (saves: readonly EntitySave[]) =>
    (await saveAll(saves)).map((saved, i) => saved ?? new StaleRevisionError(saves[i]?.expectedRevision ?? null)),
  );
  return {
    getEntity: async (ref) => (await gatheredGetEntities([ref]))[0] ?? null,
    getEntities: gatheredGetEntities,
    getEntitiesById: (ids) => getEntitiesById(db, ids),
    saveEntity: async (save) => {
      // a save refused whatever the store holds (no link) is made alone: it must fail no page it would have joined
      const [saved] = Object.keys(save.links).length === 0 ? await saveAll([save]) : await gatheredSave([save]);
      if (!saved) throw new StaleRevisionError(save.expectedRevision);
      return saved;
    },
    saveEntities: saveAll,
    keepCreatedLinks: (save, created) => keepCreatedLinks(db, save, created),
    recordOwnWrites: async (writes) => {
      await gatheredRecordOwnWrites(writes);
    },
    withdrawOwnWrites: (writes) => withdrawOwnWrites(db, writes),
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
