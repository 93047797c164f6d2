import type { Entity, EntitySave } from '../domain/entity';
import type { HubSettings } from '../domain/hub';
import type { CrmObject, FieldValues, RecordRef, SystemName } from '../domain/records';
import type { OwnWrite } from '../domain/own-writes';
import type { FailureInput, ReconcileRun, SyncStore } from '../store/types';
import { classifyErrors } from './activity-failure';

export interface Lookup {
  /** the entity linking each record asked for, in order */
  entities: (Entity | null)[];
  /** the entities of the companies asked for (those that have one) */
  companies: Entity[];
  /** per record asked for, in order: the last value the hub wrote to each of its fields (absent in older histories) */
  written?: (FieldValues | null)[];
}

/**
 * Activities over our own store. They run as local activities in the workflow worker: no system is involved, so
 * they need no rate limit and should not pay a task-queue round trip.
 */
export function createStoreActivities(store: SyncStore, settings: HubSettings) {
  return classifyErrors({
    /** The registry and the rules, once per workflow run: the merge and the plan run in workflow code. */
    async hubSettings(): Promise<HubSettings> {
      return settings;
    },
    async lookup(refs: RecordRef[], companyRefs: RecordRef[]): Promise<Lookup> {
      const [found, written] = await Promise.all([store.getEntities([...refs, ...companyRefs]), store.ownWritesOf(refs)]);
      return { entities: found.slice(0, refs.length), companies: found.slice(refs.length).filter((entity) => entity !== null), written };
    },
    async recordOwnWrites(writes: OwnWrite[]): Promise<void> {
      return store.recordOwnWrites(writes);
    },
    async withdrawOwnWrites(writes: OwnWrite[]): Promise<void> {
      return store.withdrawOwnWrites(writes);
    },
    async saveEntity(save: EntitySave): Promise<Entity> {
      return store.saveEntity(save);
    },
    /**
     * A backfill page's saves: a stale one (live sync changed that entity meanwhile) comes back null and its record
     * goes to its live workflow. A save replayed after a crash counts as done (the store compares what it holds).
     */
    async saveEntities(saves: EntitySave[]): Promise<(Entity | null)[]> {
      return store.saveEntities(saves);
    },
    /** A pass's save was stale after it created records elsewhere: they join the entity that won (idempotent). */
    async keepCreatedLinks(save: EntitySave, created: SystemName[]): Promise<void> {
      return store.keepCreatedLinks(save, created);
    },
    async unlink(ref: RecordRef): Promise<void> {
      return store.unlink(ref);
    },
    async recordFailure(failure: FailureInput): Promise<void> {
      return store.recordFailure(failure);
    },
    /** The same failure report as live sync (a record synced clears its open failures when its entity is saved). */
    async recordFailures(failures: FailureInput[]): Promise<void> {
      for (const failure of failures) await store.recordFailure(failure);
    },
    async recordSuccess(ref: RecordRef): Promise<void> {
      return store.recordSuccess(ref);
    },
    async reconcileCursor(system: SystemName, object: CrmObject): Promise<number | null> {
      return store.reconcileCursor(system, object);
    },
    async recordReconciliation(run: ReconcileRun): Promise<void> {
      return store.recordReconciliation(run);
    },
  });
}

export type StoreActivities = ReturnType<typeof createStoreActivities>;
