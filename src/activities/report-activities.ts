import { composeFailureReport } from '../report/compose';
import { sendReport, type ReportTransportOptions } from '../report/send';
import type { ReportOptions } from '../report/types';
import type { SyncStore } from '../store/types';
import { classifyErrors } from './activity-failure';

const LAST_REPORT_MARKER = 'failure-report.last-sent-at';

export interface ReportActivityDeps {
  store: SyncStore;
  /** null: no SMTP configured, reports are only counted */
  mail: ReportTransportOptions | null;
  report: Omit<ReportOptions, 'now'>;
}

export interface FailureReportResult {
  sent: boolean;
  failedRecords: number;
  recoveredRecords: number;
  caughtByReconciliation: number;
  deadLettered: number;
  since: string;
}

/**
 * Collects what failed (and what recovered) since the last report and mails one digest. The "last report" mark
 * moves only after the mail went out, so a failed send is retried by Temporal without losing anything.
 */
export function createReportActivities(deps: ReportActivityDeps) {
  return classifyErrors({
    async sendFailureReport(): Promise<FailureReportResult> {
      const now = new Date();
      const since = (await deps.store.getMarker(LAST_REPORT_MARKER)) ?? new Date(0).toISOString();
      const rows = (await deps.store.failuresSince(since)).filter((row) => row.recoveredAt !== null || row.lastFailedAt > since);
      const failedRecords = rows.filter((row) => row.recoveredAt === null).length;
      const recoveredRecords = rows.length - failedRecords;
      const caughtByReconciliation = await deps.store.reconciledSince(since);
      const deadLetters = await deps.store.deadLettersSince(since);
      const report = composeFailureReport(rows, { ...deps.report, now, caughtByReconciliation, deadLetters });
      if (report && deps.mail) await sendReport(deps.mail, report);
      if (!report || deps.mail) await deps.store.setMarker(LAST_REPORT_MARKER, now.toISOString());
      return { sent: Boolean(report && deps.mail), failedRecords, recoveredRecords, caughtByReconciliation, deadLettered: deadLetters.length, since };
    },
  });
}

export type ReportActivities = ReturnType<typeof createReportActivities>;
