import { assertOutsideTransaction, type Database } from './db';
import { createKeyedMutex } from './keyed-mutex';
import { failuresSince, recordFailure, recordPairsSuccess, recordSuccess } from './failures';
import { getMarker, setMarker } from './markers';
import { countPairs, deletePair, getPairs, savePairs } from './pairs';
import { getToken, withTokenLock } from './tokens';
import { StaleRevisionError, type LinkedPair, type PairSave, type SyncStore } from './types';

/** The SyncStore over either driver: all SQL lives in pairs.ts, failures.ts, tokens.ts and markers.ts. */
export function createSqlStore(db: Database): SyncStore {
  const tokenQueue = createKeyedMutex();
  const saveAll = async (saves: readonly PairSave[]): Promise<(LinkedPair | null)[]> => {
    const saved = await savePairs(db, saves);
    // Both records of a saved pair are in sync now: a failure reported for either outside its own workflow's failed
    // pass (by a backfill page, or by the counterpart's workflow) is over, and the report lists it as recovered.
    await recordPairsSuccess(db, saved.filter((pair) => pair !== null));
    return saved;
  };
  return {
    getPair: async (ref) => (await getPairs(db, [ref]))[0] ?? null,
    getPairs: (refs) => getPairs(db, refs),
    savePair: async (pair, expectedRevision) => {
      const [saved] = await saveAll([{ pair, expectedRevision }]);
      if (!saved) throw new StaleRevisionError(expectedRevision);
      return saved;
    },
    savePairs: saveAll,
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
