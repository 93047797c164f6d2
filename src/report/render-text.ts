import { failedText, fieldsText, formatTime, oneLine, plural } from './format';
import type { RenderedRow, ReportModel } from './types';

function rowLines({ row, label, recordUrl, workflowUrl }: RenderedRow): string[] {
  const lines = [`- ${label} (${row.operation})`];
  if (recordUrl) lines.push(`    record:   ${recordUrl}`);
  lines.push(`    failed:   ${failedText(row)}`);
  lines.push(`    error:    ${row.category}: ${oneLine(row.message)}`);
  if (row.fields.length > 0) lines.push(`    fields:   ${fieldsText(row)}`);
  lines.push(`    workflow: ${workflowUrl}`);
  return lines;
}

function recoveredLine({ row, label, recordUrl, workflowUrl }: RenderedRow): string[] {
  const when = row.recoveredAt ? formatTime(row.recoveredAt) : '';
  return [
    `- ${label} (${row.operation}): recovered ${when} after ${plural(row.attempts, 'failure')} (${row.category})`,
    ...(recordUrl ? [`    record:   ${recordUrl}`] : []),
    `    workflow: ${workflowUrl}`,
  ];
}

export function renderText(model: ReportModel): string {
  const lines = [`crm-sync failure report, ${model.generatedAt}`, '', model.summary, model.reconciliation];
  for (const section of model.deadLetters) lines.push(section.heading, ...section.reasons.map((reason) => `  - ${reason}`));
  lines.push(`Every failing record in the Temporal Web UI: ${model.failedListUrl}`);
  for (const cause of model.causes) {
    lines.push('', `== ${cause.heading} [${cause.category}] ==`);
    for (const row of cause.rows) lines.push(...rowLines(row));
    if (cause.hidden > 0) lines.push(`- … and ${cause.hidden} more`);
  }
  if (model.recovered.length > 0) {
    lines.push('', `== Recovered: ${plural(model.recovered.length, 'record')} ==`);
    for (const row of model.recovered) lines.push(...recoveredLine(row));
  }
  return `${lines.join('\n')}\n`;
}
