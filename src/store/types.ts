import type { CrmObject, CrmSystem, FieldValues, RecordRef } from '../domain/records';

/**
 * A linked pair of records and the merge base: the canonical values the connector last wrote to (or saw equal on)
 * both sides. `revision` guards concurrent passes over the same pair (optimistic concurrency).
 */
export interface LinkedPair {
  object: CrmObject;
  hubspotId: string | null;
  zohoId: string | null;
  base: FieldValues;
  /** Last version of each side that the connector wrote or reconciled; an event at that version is our own echo. */
  hubspotVersion: string | null;
  zohoVersion: string | null;
  revision: number;
  updatedAt: string;
}

export type NewLinkedPair = Omit<LinkedPair, 'revision' | 'updatedAt'>;

export interface PairSave {
  pair: NewLinkedPair;
  /** null: a new pair */
  expectedRevision: number | null;
}

export type SyncOperation = 'create' | 'update' | 'delete' | 'link' | 'read';

export interface FailureInput {
  ref: RecordRef;
  operation: SyncOperation;
  category: string;
  message: string;
  fields: { field: string; reason: string }[];
  workflowId: string;
}

export interface FailureRow extends FailureInput {
  firstFailedAt: string;
  lastFailedAt: string;
  attempts: number;
  /** Set when a later pass of the same record succeeded. */
  recoveredAt: string | null;
}

export interface StoredToken {
  system: CrmSystem;
  accessToken: string;
  refreshToken: string;
  /** epoch ms */
  expiresAt: number;
}

export class StaleRevisionError extends Error {
  constructor(readonly expected: number | null) {
    super(`linked pair changed concurrently (expected revision ${String(expected)})`);
    this.name = 'StaleRevisionError';
  }
}

export interface SyncStore {
  getPair(ref: RecordRef): Promise<LinkedPair | null>;
  /**
   * Inserts (expectedRevision null) or updates the pair whose revision is still `expectedRevision`;
   * throws StaleRevisionError otherwise. Returns the stored row with its new revision.
   */
  savePair(pair: NewLinkedPair, expectedRevision: number | null): Promise<LinkedPair>;
  /** getPair for many records at once (a backfill page, a Zoho notification), in the order given. */
  getPairs(refs: readonly RecordRef[]): Promise<(LinkedPair | null)[]>;
  /** savePair for many pairs at once; a stale save yields null in its place instead of throwing. */
  savePairs(saves: readonly PairSave[]): Promise<(LinkedPair | null)[]>;
  deletePair(ref: RecordRef): Promise<void>;
  countPairs(object?: CrmObject): Promise<number>;

  recordFailure(failure: FailureInput): Promise<void>;
  /** Marks the open failure of `ref` (if any) recovered. */
  recordSuccess(ref: RecordRef): Promise<void>;
  /** Failures still open, and those recovered since `since`, oldest first. */
  failuresSince(since: string): Promise<FailureRow[]>;

  getToken(system: CrmSystem): Promise<StoredToken | null>;
  /**
   * Runs `refresh` while holding a lock on the system's token row, across processes (SELECT … FOR UPDATE),
   * and stores what it returns. `refresh` gets the token as stored when the lock was taken, so a caller that
   * waited for another refresher can see the fresh token and skip its own refresh.
   */
  withTokenLock(system: CrmSystem, refresh: (current: StoredToken | null) => Promise<StoredToken>): Promise<StoredToken>;

  /** A small named value kept between runs (e.g. when the last failure report was sent). */
  getMarker(name: string): Promise<string | null>;
  setMarker(name: string, value: string): Promise<void>;

  close(): Promise<void>;
}
