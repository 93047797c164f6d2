import { proxyActivities } from '@temporalio/workflow';
import type { FailureReportResult, ReportActivities } from '../activities/report-activities';

const { sendFailureReport } = proxyActivities<ReportActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '10s', maximumInterval: '5 minutes', maximumAttempts: 10 },
});

/** Started by the failure-report Schedule: one e-mail per run, none when nothing failed. */
export async function failureReportWorkflow(): Promise<FailureReportResult> {
  return sendFailureReport();
}
