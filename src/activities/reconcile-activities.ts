import type { RecordRef } from '../domain/records';
import type { RecordSyncOptions } from '../workflows/messages';
import { handToLive } from './backfill-handoff-activities';

/** Reconciliation's side of live sync: the records it found out of sync go to their record workflows. */
export function createReconcileActivities(syncOptions: RecordSyncOptions) {
  return {
    /** A change reconciliation found and its late event, if one still comes, make one pass. */
    async reconcileHandToLive(refs: RecordRef[]): Promise<void> {
      await handToLive(refs, 'reconcile', syncOptions);
    },
  };
}

export type ReconcileActivities = ReturnType<typeof createReconcileActivities>;
