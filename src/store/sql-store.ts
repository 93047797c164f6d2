import type { Database } from './db';
import { failuresSince, recordFailure, recordSuccess } from './failures';
import { countPairs, deletePair, getPair, savePair } from './pairs';
import { getToken, withTokenLock } from './tokens';
import type { SyncStore } from './types';

/** The SyncStore over either driver: all SQL lives in pairs.ts, failures.ts and tokens.ts. */
export function createSqlStore(db: Database): SyncStore {
  return {
    getPair: (ref) => getPair(db, ref),
    savePair: (pair, expectedRevision) => savePair(db, pair, expectedRevision),
    deletePair: (ref) => deletePair(db, ref),
    countPairs: (object) => countPairs(db, object),
    recordFailure: (failure) => recordFailure(db, failure),
    recordSuccess: (ref) => recordSuccess(db, ref),
    failuresSince: (since) => failuresSince(db, since),
    getToken: (system) => getToken(db, system),
    withTokenLock: (system, refresh) => withTokenLock(db, system, refresh),
    close: () => db.close(),
  };
}
