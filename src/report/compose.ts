import type { DeadLetterRow, FailureRow } from '../store/types';
import { formatTime, oneLine, plural } from './format';
import { groupOpenFailures, recoveredRecords, refKey } from './group';
import { recordLinkOf, workflowListUrl, workflowUrl } from './links';
import { renderHtml } from './render-html';
import { renderText } from './render-text';
import type { FailureReport, RenderedRow, ReportModel, ReportOptions } from './types';

const DEFAULT_MAX_ROWS_PER_CAUSE = 50;

/**
 * The failure digest for operators: open failures grouped by cause (fixable ones first) with links to each record
 * in its system and to its workflow in the Temporal Web UI, then the records that recovered.
 * Returns null when there is nothing to say, so callers can skip sending.
 */
export function composeFailureReport(rows: FailureRow[], options: ReportOptions): FailureReport | null {
  const model = buildModel(rows, options);
  if (!model) return null;
  return { subject: model.subject, text: renderText(model), html: renderHtml(model) };
}

function buildModel(rows: FailureRow[], options: ReportOptions): ReportModel | null {
  const groups = groupOpenFailures(rows);
  const recovered = recoveredRecords(rows);
  const caught = options.caughtByReconciliation ?? 0;
  const deadLetters = deadLetterSections(options.deadLetters ?? []);
  if (groups.length === 0 && recovered.length === 0 && caught === 0 && deadLetters.length === 0) return null;

  const failing = new Set(groups.flatMap((group) => group.rows.map(refKey))).size;
  const maxRows = Math.max(1, options.maxRowsPerCause ?? DEFAULT_MAX_ROWS_PER_CAUSE);
  const render = (row: FailureRow): RenderedRow => {
    const record = recordLinkOf(row.ref, options.systems);
    return { row, label: record.label, recordUrl: record.url, workflowUrl: workflowUrl(options.webUiBaseUrl, options.namespace, row.workflowId) };
  };

  const failingText = `${plural(failing, 'record')} failing`;
  const causesText = plural(groups.length, 'cause');
  const recoveredText = `${plural(recovered.length, 'record')} recovered`;
  const subject =
    failing > 0
      ? `crm-sync: ${failingText} (${causesText})${recovered.length > 0 ? `, ${recovered.length} recovered` : ''}`
      : `crm-sync: ${recoveredText}, no new failures`;

  return {
    subject,
    generatedAt: formatTime(options.now.toISOString()),
    // Records still failing but not since the last report were in an earlier report: "nothing failing" would be false.
    summary: failing > 0 ? `${failingText} from ${causesText}; ${recoveredText}.` : `No new failures; ${recoveredText}.`,
    // Every caught record is an event that never arrived: worth a look at the ingress, the CRM's delivery, the broker.
    reconciliation: `caught by reconciliation: ${caught}`,
    deadLetters,
    failedListUrl: workflowListUrl(options.webUiBaseUrl, options.namespace, 'SyncStatus="failed"'),
    causes: groups.map((group) => ({
      heading: `${group.label}: ${plural(group.recordCount, 'record')}`,
      category: group.category,
      rows: group.rows.slice(0, maxRows).map(render),
      hidden: Math.max(0, group.rows.length - maxRows),
    })),
    recovered: recovered.map(render),
  };
}

const MAX_REASONS = 10;

/**
 * A dead-lettered message names no record (it could not be read), so it is counted per system with its reasons, most
 * frequent first; the messages themselves wait in the dead-letter queue for a person to look at.
 */
function deadLetterSections(letters: readonly DeadLetterRow[]): ReportModel['deadLetters'] {
  const bySystem = new Map<string, Map<string, number>>();
  for (const letter of letters) {
    const reasons = bySystem.get(letter.system) ?? new Map<string, number>();
    const reason = oneLine(letter.reason);
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    bySystem.set(letter.system, reasons);
  }
  return [...bySystem].map(([system, reasons]) => {
    const total = [...reasons.values()].reduce((sum, count) => sum + count, 0);
    const sorted = [...reasons].sort((a, b) => b[1] - a[1]);
    const shown = sorted.slice(0, MAX_REASONS).map(([reason, count]) => `${reason} (${plural(count, 'message')})`);
    const hidden = sorted.length - shown.length;
    return { heading: `dead-lettered ${system} messages: ${total}`, reasons: hidden > 0 ? [...shown, `… and ${plural(hidden, 'other reason')}`] : shown };
  });
}
