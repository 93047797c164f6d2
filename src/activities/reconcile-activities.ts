import { Context } from '@temporalio/activity';
import type { BackfillAhead } from '../domain/backfill-reach';
import type { CrmObject, RecordRef, SystemName } from '../domain/records';
import { decodeCursor } from '../connectors/list-window';
import { backfillReachQuery, WORKFLOW_TYPES, type RecordSyncOptions } from '../workflows/messages';
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
    /**
     * The running backfills of `system`'s `object` that will still sync what they list, each with its window and the
     * last id it listed. One that cannot say (a run from before the query existed) is left out: its records are
     * handed over as before.
     */
    async reconcileBackfillsAhead(system: SystemName, object: CrmObject): Promise<BackfillAhead[]> {
      const { workflow } = Context.current().client;
      const ahead: BackfillAhead[] = [];
      for await (const execution of workflow.list({ query: `WorkflowType = '${WORKFLOW_TYPES.backfill}' AND ExecutionStatus = 'Running'` })) {
        // the current run: a backfill continues as new every page or so
        const reach = await workflow
          .getHandle(execution.workflowId)
          .query(backfillReachQuery)
          .catch(() => null);
        if (!reach || reach.from !== system || reach.object !== object || !reach.willSync || reach.listedAll) continue;
        let afterId: string | null;
        try {
          afterId = decodeCursor(reach.cursor, system) ?? null;
        } catch {
          continue; // a cursor this connector did not issue says nothing of what is still to come
        }
        ahead.push({ filter: reach.filter, afterId });
      }
      return ahead;
    },
  };
}

export type ReconcileActivities = ReturnType<typeof createReconcileActivities>;
