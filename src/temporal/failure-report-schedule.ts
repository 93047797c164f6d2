import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { TASK_QUEUES, WORKFLOW_TYPES } from '../workflows/messages';

export const FAILURE_REPORT_SCHEDULE_ID = 'crm-sync-failure-report';

/** Creates the report Schedule, or brings an existing one to the configured cron. */
export async function ensureFailureReportSchedule(client: Client, cron: string): Promise<void> {
  const action = { type: 'startWorkflow' as const, workflowType: WORKFLOW_TYPES.failureReport, taskQueue: TASK_QUEUES.sync, args: [] };
  const spec = { cronExpressions: [cron] };
  try {
    await client.schedule.create({ scheduleId: FAILURE_REPORT_SCHEDULE_ID, spec, action, policies: { overlap: ScheduleOverlapPolicy.SKIP } });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(FAILURE_REPORT_SCHEDULE_ID).update((previous) => ({ ...previous, spec, action }));
  }
}
