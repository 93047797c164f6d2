import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { CrmObject, SystemName } from '../domain/records';
import type { ReconcileInput } from '../domain/reconcile';
import { TASK_QUEUES, WORKFLOW_TYPES } from '../workflows/messages';

export interface ReconcileTarget {
  system: SystemName;
  object: CrmObject;
}

export function reconcileScheduleId(target: ReconcileTarget): string {
  return `crm-sync-reconcile-${target.system}-${target.object}`;
}

/**
 * One Schedule per system and object, each starting a `reconcile` run every interval. SKIP: a run that outlasts the
 * interval (a long window after an outage) is never doubled. Brought to the configured interval at every worker
 * start; an interval of 0 deletes them (reconciliation off).
 */
export async function ensureReconcileSchedules(client: Client, targets: readonly ReconcileTarget[], timing: Pick<ReconcileInput, 'intervalMs' | 'overlapMs' | 'settleMs'>): Promise<void> {
  for (const target of targets) {
    const scheduleId = reconcileScheduleId(target);
    if (timing.intervalMs === 0) {
      await deleteSchedule(client, scheduleId);
      continue;
    }
    const input: ReconcileInput = { ...target, ...timing };
    const action = {
      type: 'startWorkflow' as const,
      workflowType: WORKFLOW_TYPES.reconcile,
      workflowId: `reconcile:${target.system}:${target.object}`,
      taskQueue: TASK_QUEUES.sync,
      args: [input],
    };
    const spec = { intervals: [{ every: timing.intervalMs }] };
    // Runs missed while Temporal was down are made up by one run, not one per missed interval: the cursor already
    // covers everything since the last run. (10 s is the shortest catch-up window the server takes.)
    const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: Math.max(timing.intervalMs, 10_000) };
    try {
      await client.schedule.create({ scheduleId, spec, action, policies });
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action, policies: { ...previous.policies, ...policies } }));
    }
  }
}

async function deleteSchedule(client: Client, scheduleId: string): Promise<void> {
  try {
    await client.schedule.getHandle(scheduleId).delete();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
}
