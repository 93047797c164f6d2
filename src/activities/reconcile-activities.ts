import { Context } from '@temporalio/activity';
import type { RecordRef } from '../domain/records';
import { signalRecordChanges } from '../temporal/record-signals';
import type { RecordSyncOptions } from '../workflows/messages';

/** Reconciliation's side of live sync: the records it found out of sync go to their record workflows. */
export function createReconcileActivities(syncOptions: RecordSyncOptions) {
  return {
    /**
     * Exactly what an ingress does with an event (signalWithStart, one signal per record): the record workflow reads
     * the record itself, so a change reconciliation found and its late event, if one still comes, make one pass.
     */
    async reconcileHandToLive(refs: RecordRef[]): Promise<void> {
      const occurredAt = Date.now();
      const changes = refs.map((ref) => ({ ref, event: { kind: 'change' as const, occurredAt, eventId: 'reconcile' } }));
      await signalRecordChanges(Context.current().client.workflow, changes, syncOptions);
    },
  };
}

export type ReconcileActivities = ReturnType<typeof createReconcileActivities>;
