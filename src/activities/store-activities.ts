import type { SyncRules } from '../config/sync-rules';
import type { RecordRef, RecordSnapshot } from '../domain/records';
import type { FailureInput, LinkedPair, NewLinkedPair, SyncStore } from '../store/types';
import { classifyErrors } from './activity-failure';
import { lookupPair, type PairLookup } from '../store/matches-base';
import { planSync, type SyncPlan, type SyncPlanInput } from './plan-sync';

/**
 * Activities over our own store. They run as local activities in the workflow worker: no CRM is involved, so
 * they need no rate limit and should not pay a task-queue round trip.
 */
export function createStoreActivities(store: SyncStore, rules: SyncRules) {
  return classifyErrors({
    async lookupPair(ref: RecordRef, snapshot: RecordSnapshot | null): Promise<PairLookup> {
      return lookupPair(rules, store, ref, snapshot);
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
