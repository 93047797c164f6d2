import type { RecordRef } from '../domain/records';
import type { RecordSyncOptions } from '../workflows/messages';
import { handToLive } from './backfill-handoff-activities';

/** Reconciliation's side of live sync: the records it found out of sync go to their record workflows. */
export function createReconcileActivities(syncOptions: RecordSyncOptions) {
  return {
    /**
     * A change reconciliation found and its late event, if one still comes, make one pass. On the load lane: a run can
     * find thousands (records changed outside webhooks, a backfill under way), which on the live lane stood in front
     * of a person's edits (bench backfill-with-live: 4,045 at once five minutes into a backfill).
     */
    async reconcileHandToLive(refs: RecordRef[]): Promise<void> {
      await handToLive(refs, 'reconcile', syncOptions, 'load');
    },
  };
}

export type ReconcileActivities = ReturnType<typeof createReconcileActivities>;
