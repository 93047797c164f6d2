import type { SyncRules } from '../config/sync-rules';
import type { RecordRef, RecordSnapshot } from '../domain/records';
import type { FailureInput, LinkedPair, NewLinkedPair, SyncStore } from '../store/types';
import { classifyErrors } from './activity-failure';
import { matchesBase } from '../store/matches-base';
import { planSync, type SyncPlan, type SyncPlanInput } from './plan-sync';

export interface PairLookup {
  pair: LinkedPair | null;
  /** The record holds exactly the values last synced: nothing to do (typically the echo of our own write). */
  inSync: boolean;
}

/**
 * Activities over our own store. They run as local activities in the workflow worker: no CRM is involved, so
 * they need no rate limit and should not pay a task-queue round trip.
 */
export function createStoreActivities(store: SyncStore, rules: SyncRules) {
  return classifyErrors({
    async lookupPair(ref: RecordRef, snapshot: RecordSnapshot | null): Promise<PairLookup> {
      const pair = await store.getPair(ref);
      if (!pair || !snapshot) return { pair, inSync: false };
      return { pair, inSync: await matchesBase(rules, store, pair, snapshot) };
    },
    async planSync(input: SyncPlanInput): Promise<SyncPlan> {
      return planSync(rules, store, input);
    },
    async savePair(pair: NewLinkedPair, expectedRevision: number | null): Promise<LinkedPair> {
      return store.savePair(pair, expectedRevision);
    },
    async deletePair(ref: RecordRef): Promise<void> {
      return store.deletePair(ref);
    },
    async recordFailure(failure: FailureInput): Promise<void> {
      return store.recordFailure(failure);
    },
    async recordSuccess(ref: RecordRef): Promise<void> {
      return store.recordSuccess(ref);
    },
  });
}

export type StoreActivities = ReturnType<typeof createStoreActivities>;
