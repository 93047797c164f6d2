import type { SyncRules } from '../config/sync-rules';
import type { RecordRef, RecordSnapshot } from '../domain/records';
import type { FailureInput, LinkedPair, NewLinkedPair, SyncStore } from '../store/types';
import { classifyErrors } from './activity-failure';
import { changedFields } from '../domain';
import { COMPANY_FIELD, planSync, type SyncPlan, type SyncPlanInput } from './plan-sync';

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

/** Nothing a merge would act on differs from the base: the record is as we last left it (e.g. our own write's echo). */
async function matchesBase(rules: SyncRules, store: SyncStore, pair: LinkedPair, snapshot: RecordSnapshot): Promise<boolean> {
  const sideId = snapshot.ref.system === 'hubspot' ? pair.zohoId : pair.hubspotId;
  if (snapshot.counterpartId && snapshot.counterpartId !== sideId) return false;
  if (changedFields(rules, snapshot.ref.object, snapshot.ref.system, snapshot.fields, pair.base).length > 0) return false;
  if (snapshot.ref.object !== 'contact' || !(COMPANY_FIELD in pair.base)) return true;
  const company = snapshot.companyId ?? null;
  if (snapshot.ref.system === 'zoho' || company === null) return (pair.base[COMPANY_FIELD] ?? null) === company;
  const companyPair = await store.getPair({ system: 'hubspot', object: 'company', id: company });
  return (companyPair?.zohoId ?? `hubspot:${company}`) === pair.base[COMPANY_FIELD];
}
