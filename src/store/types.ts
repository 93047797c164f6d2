import type { DeadLetterInput, DeadLetterRow } from '../domain/dead-letter';
import type { Entity, EntitySave } from '../domain/entity';
import type { FailureInput } from '../domain/failure';
import type { ReconcileRun } from '../domain/reconcile';
import type { CrmObject, FieldValues, RecordRef, SystemName } from '../domain/records';
import type { OwnWrite } from '../domain/own-writes';

export type { Entity, EntitySave, Link } from '../domain/entity';

export type { FailureInput, SyncOperation } from '../domain/failure';

export type { ReconcileRun } from '../domain/reconcile';

export type { DeadLetterInput, DeadLetterRow } from '../domain/dead-letter';

export interface FailureRow extends FailureInput {
  firstFailedAt: string;
  lastFailedAt: string;
  attempts: number;
  /** Set when a later pass of the same record succeeded. */
  recoveredAt: string | null;
}

export interface StoredToken {
  system: SystemName;
  accessToken: string;
  refreshToken: string;
  /** epoch ms */
  expiresAt: number;
}

export class StaleRevisionError extends Error {
  constructor(readonly expected: number | null) {
    super(`entity changed concurrently (expected revision ${String(expected)})`);
    this.name = 'StaleRevisionError';
  }
}

/** A save the store cannot take whatever the database holds (a programming error, not a conflict). */
export class EntitySaveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EntitySaveError';
  }
}

export interface SyncStore {
  /** The entity that links this record, or null. */
  getEntity(ref: RecordRef): Promise<Entity | null>;
  /** getEntity for many records at once (a backfill page, a notification), in the order given. */
  getEntities(refs: readonly RecordRef[]): Promise<(Entity | null)[]>;
  /** Entities by their own id (a contact's company travels as its entity id), in the order given. */
  getEntitiesById(ids: readonly string[]): Promise<(Entity | null)[]>;
  /**
   * Inserts (expectedRevision null) or replaces the entity whose revision is still `expectedRevision`, links
   * included (a link left out is removed). Throws StaleRevisionError when the revision moved on, or when one of its
   * records is linked to another entity meanwhile. Returns the stored entity with its new revision.
   */
  saveEntity(save: EntitySave): Promise<Entity>;
  /** saveEntity for many at once; a stale save yields null in its place instead of throwing. */
  saveEntities(saves: readonly EntitySave[]): Promise<(Entity | null)[]>;
  /**
   * After a stale save: the links of the records that pass created (`created`) are added to the entity that now holds
   * the save's other records, where it has no record in that system yet (src/store/entity-keep-created.ts).
   */
  keepCreatedLinks(save: EntitySave, created: readonly SystemName[]): Promise<void>;
  /** Before a pass writes records: the values it is about to write to each (see src/store/own-writes.ts). */
  recordOwnWrites(writes: readonly OwnWrite[]): Promise<void>;
  /** Writes whose check refused them: the value recorded before each is the last one written again (src/store/own-writes.ts). */
  withdrawOwnWrites(writes: readonly OwnWrite[]): Promise<void>;
  /**
   * The last value the hub wrote to each field of each record, in the order given (null: never written to); `unsaved`:
   * only those its entity's last save does not hold yet (see src/store/own-writes.ts).
   */
  ownWritesOf(refs: readonly RecordRef[], options?: { unsaved?: boolean }): Promise<(FieldValues | null)[]>;
  /** Removes the record's link; an entity left without links is removed with it. */
  unlink(ref: RecordRef): Promise<void>;
  countEntities(object?: CrmObject): Promise<number>;

  recordFailure(failure: FailureInput): Promise<void>;
  /** Marks the open failure of `ref` (if any) recovered. */
  recordSuccess(ref: RecordRef): Promise<void>;
  /** Failures still open, and those recovered since `since`, oldest first. */
  failuresSince(since: string): Promise<FailureRow[]>;

  getToken(system: SystemName): Promise<StoredToken | null>;
  /**
   * Runs `refresh` while holding a lock on the system's token row, across processes (SELECT … FOR UPDATE),
   * and stores what it returns. `refresh` gets the token as stored when the lock was taken, so a caller that
   * waited for another refresher can see the fresh token and skip its own refresh.
   */
  withTokenLock(system: SystemName, refresh: (current: StoredToken | null) => Promise<StoredToken>): Promise<StoredToken>;

  /** Reconciliation's cursor for one system and object: the newest modification time its last run saw (epoch ms). */
  reconcileCursor(system: SystemName, object: CrmObject): Promise<number | null>;
  /** A finished reconcile run: its cursor and, counted once per run, the records it handed to live sync. */
  recordReconciliation(run: ReconcileRun): Promise<void>;
  /** Records reconciliation handed to live sync since `since` (ISO-8601), for the failure report. */
  reconciledSince(since: string): Promise<number>;

  /** A message a broker ingress dead-lettered for breaking its system's contract (kept once per message). */
  recordDeadLetter(letter: DeadLetterInput): Promise<void>;
  /** Messages dead-lettered since `since` (ISO-8601), oldest first, for the failure report. */
  deadLettersSince(since: string): Promise<DeadLetterRow[]>;

  /** A small named value kept between runs (e.g. when the last failure report was sent). */
  getMarker(name: string): Promise<string | null>;
  setMarker(name: string, value: string): Promise<void>;

  close(): Promise<void>;
}
