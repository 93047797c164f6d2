import { assertOutsideTransaction, type Database } from './db';
import { createKeyedMutex } from './keyed-mutex';
import { failuresSince, recordFailure, recordPairSuccess, recordSuccess } from './failures';
import { getMarker, setMarker } from './markers';
import { countPairs, deletePair, getPair, savePair } from './pairs';
import { getToken, withTokenLock } from './tokens';
import type { SyncStore } from './types';

/** The SyncStore over either driver: all SQL lives in pairs.ts, failures.ts, tokens.ts and markers.ts. */
export function createSqlStore(db: Database): SyncStore {
  const tokenQueue = createKeyedMutex();
  return {
    getPair: (ref) => getPair(db, ref),
    savePair: async (pair, expectedRevision) => {
      const saved = await savePair(db, pair, expectedRevision);
      // Both records are in sync now: a failure reported for either outside its own workflow's failed pass (by a
      // backfill page, or by the counterpart's workflow) is over, and the report lists it as recovered.
      await recordPairSuccess(db, saved.object, saved.hubspotId, saved.zohoId);
      return saved;
    },
    deletePair: (ref) => deletePair(db, ref),
    countPairs: (object) => countPairs(db, object),
    recordFailure: (failure) => recordFailure(db, failure),
    recordSuccess: (ref) => recordSuccess(db, ref),
    failuresSince: (since) => failuresSince(db, since),
    getToken: (system) => getToken(db, system),
    withTokenLock: async (system, refresh) => {
      // Checked before queueing: a nested call would otherwise wait in the queue behind itself forever.
      assertOutsideTransaction();
      return tokenQueue(system, () => withTokenLock(db, system, refresh));
    },
    getMarker: (name) => getMarker(db, name),
    setMarker: (name, value) => setMarker(db, name, value),
    close: () => db.close(),
  };
}
